import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../src/storage/data-source.factory.js';
import { persistentTarget, STORAGE_BACKENDS } from '../support/databases.js';
import { runWeir } from '../support/weir-process.js';

const PROJECT = fileURLToPath(new URL('../fixtures/config-project/index.ts', import.meta.url));

interface RunJson {
  id: string;
  status: string;
  config: unknown;
  steps: Array<{ assetKey: string; attempts: number; output: { metadata: Record<string, unknown> } | null }>;
}

// The real CLI, with the project loaded in isolates: the config crosses into ctx.config there.
describe.each(STORAGE_BACKENDS)('weir materialize --config (%s)', (backend) => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-config-cli-'));
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let target: OpenedDatabase['target'];

  beforeAll(async () => {
    ({ target, cleanup } = await persistentTarget(backend));
    env = {
      WEIR_PROJECT: PROJECT,
      WEIR_DATA_DIR: join(dir, '.weir'),
      ...(target.kind === 'postgres' ? { WEIR_DATABASE_URL: target.url } : {}),
    };
  });
  afterAll(async () => {
    await cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  });

  // The CLI holds the embedded database while it runs: count once it has exited.
  async function runRows(): Promise<number> {
    const database = await openDatabase(
      target.kind === 'postgres' ? target : { kind: 'pglite', dataDir: join(dir, '.weir', 'pglite') },
    );
    try {
      const [{ n }] = await database.dataSource.query(`SELECT count(*)::int AS n FROM runs`);
      return Number(n);
    } finally {
      await database.close();
    }
  }

  it('inline JSON reaches ctx.config in the isolate, defaults filled in', async () => {
    const result = await runWeir(
      ['materialize', 'config/sample', '--json', '--config', '{"config/sample": {"region": "eu"}}'],
      env,
    );
    expect(result.code, result.output).toBe(0);
    const run = JSON.parse(result.output) as RunJson;
    expect(run.config).toEqual({ 'config/sample': { region: 'eu' } });
    expect(run.steps[0]!.output!.metadata).toEqual({ sampleSize: 5, region: 'eu' });
  });

  it('a JSON file works too, and the retry of a failed attempt gets the same config', async () => {
    const file = join(dir, 'run-config.json');
    writeFileSync(file, JSON.stringify({ 'config/flaky': { label: 'nightly' } }));
    const result = await runWeir(['materialize', 'config/flaky', '--json', '--config', file], env);
    expect(result.code, result.output).toBe(0);
    const run = JSON.parse(result.output) as RunJson;
    expect(run.steps[0]!.attempts).toBe(2);
    expect(run.steps[0]!.output!.metadata).toEqual({ label: 'nightly', attempt: 2 });
  });

  it('an invalid config exits 2 naming the asset and the fields, and creates no run', async () => {
    const before = await runRows();
    const result = await runWeir(
      ['materialize', 'config/sample', '--config', '{"config/sample": {"sampleSize": 0, "region": "asia"}}'],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.output).toContain("run config of asset 'config/sample' is invalid");
    expect(result.output).toMatch(/sampleSize: .*>=1/);
    expect(result.output).toMatch(/region: .*"eu"\|"us"/);
    expect(result.output).not.toContain('    at '); // a user error: no stack trace
    expect(await runRows()).toBe(before);
  });

  it('malformed JSON and a missing file exit 2 with what was wrong', async () => {
    const bad = await runWeir(['materialize', 'config/sample', '--config', '{"config/sample": '], env);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('--config: the inline value is not valid JSON');
    const missing = await runWeir(['materialize', 'config/sample', '--config', join(dir, 'nope.json')], env);
    expect(missing.code).toBe(2);
    expect(missing.output).toMatch(/--config: cannot read .*nope\.json \(ENOENT\)/);
  });

  it('weir reexecute reuses the config of the run it re-executes', async () => {
    const first = await runWeir(
      ['materialize', 'config/flaky', '--json', '--config', '{"config/flaky": {"label": "fail"}}'],
      env,
    );
    expect(first.code).toBe(1);
    const failed = JSON.parse(first.output) as RunJson;
    const again = await runWeir(['reexecute', failed.id], env);
    expect(again.code, again.output).toBe(1);
    // The label reached the isolate again: its second attempt failed as the label asks.
    expect(again.output).toContain('asked to fail');
    const runs = JSON.parse((await runWeir(['runs', '--json'], env)).output) as Array<
      RunJson & { parentRunId: string }
    >;
    const child = runs.find((run) => run.parentRunId === failed.id)!;
    expect(child.config).toEqual({ 'config/flaky': { label: 'fail' } });
  });
});
