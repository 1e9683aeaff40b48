import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../src/storage/data-source.factory.js';
import { persistentTarget, STORAGE_BACKENDS } from '../support/databases.js';
import { apiFetch, killHard, runWeir, spawnWeir, waitForApi, type WeirProcess } from '../support/weir-process.js';

const PROJECT = fileURLToPath(new URL('../fixtures/resources-project/index.ts', import.meta.url));
const SECRET = 'hunter2-Sup3rS3cret';
const REDACTED = '[redacted:WH_PASSWORD]';

interface GqlRun {
  status: string;
  steps: Array<{ assetKey: string; error: string | null; attempts: Array<{ errorMessage: string | null }> }>;
}

interface RunJson {
  id: string;
  status: string;
  steps: Array<{ assetKey: string; output: { metadata: Record<string, unknown> } | null }>;
}

const lines = (file: string): string[] =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

// The real CLI and `weir dev`, user code in isolates: resources are created there, once per
// isolate, disposed when the process stops, and their secrets never leave it.
describe.each(STORAGE_BACKENDS)('resources (real processes, %s)', (backend) => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-resources-'));
  const markers = join(dir, 'markers');
  mkdirSync(markers);
  const dataDir = join(dir, '.weir');
  let env: Record<string, string>;
  let target: OpenedDatabase['target'];
  let cleanup: (() => Promise<void>) | undefined;
  let dev: WeirProcess | undefined;

  beforeAll(async () => {
    ({ target, cleanup } = await persistentTarget(backend));
    env = {
      WEIR_PROJECT: PROJECT,
      WEIR_DATA_DIR: dataDir,
      WEIR_CONCURRENCY: '1',
      WH_URL: 'postgres://warehouse.example/analytics',
      WH_PASSWORD: SECRET,
      WH_MARKER_DIR: markers,
      ...(target.kind === 'postgres' ? { WEIR_DATABASE_URL: target.url } : {}),
    };
  });

  afterAll(async () => {
    if (dev && dev.child.exitCode === null) await killHard(dev);
    await cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  });

  // The CLI holds the embedded database while it runs: query once it has exited.
  async function sql<T>(query: string): Promise<T[]> {
    const database = await openDatabase(
      target.kind === 'postgres' ? target : { kind: 'pglite', dataDir: join(dataDir, 'pglite') },
    );
    try {
      return (await database.dataSource.query(query)) as T[];
    } finally {
      await database.close();
    }
  }

  it('two assets and a check share one instance per isolate, disposed when the CLI exits', async () => {
    const result = await runWeir(['materialize', 'res/first,res/second', '--json'], { ...env, WEIR_ENV: 'prod' });
    expect(result.code, result.output).toBe(0);
    const run = JSON.parse(result.output) as RunJson;
    const meta = Object.fromEntries(run.steps.map((s) => [s.assetKey, s.output!.metadata]));
    const created = lines(join(markers, 'created'));
    expect(created).toHaveLength(1);
    expect(meta['res/first']).toEqual({ instance: created[0], schema: 'analytics' });
    expect(meta['res/second']).toEqual({ instance: created[0] });
    const [check] = await sql<{ metadata: Record<string, unknown> }>(
      `SELECT metadata FROM check_results WHERE check_name = 'same warehouse'`,
    );
    expect(check!.metadata).toEqual({ instance: created[0] });
    expect(lines(join(markers, 'disposed'))).toEqual(created);
  }, 120_000);

  it('a missing variable fails at load, naming the resource, the variable and its users', async () => {
    const { WH_PASSWORD: _, ...without } = env;
    const result = await runWeir(['materialize', 'res/first'], without, undefined, 60_000);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('resource "warehouse": environment variable WH_PASSWORD is not set');
    expect(result.output).toMatch(/res\/first \(defined at .*index\.ts:\d+/);
    expect(result.output).toContain('sensor:warehouse_watcher');
    expect(result.output).not.toContain('    at '); // a user error: no stack trace
  }, 60_000);

  it('a secret logged, recorded and thrown by user code is redacted in weir logs, the database and the API', async () => {
    const result = await runWeir(['materialize', 'res/leaky', '--json'], env);
    expect(result.code).toBe(1);
    expect(result.output).not.toContain(SECRET);
    const run = JSON.parse(result.output) as RunJson;
    const logs = await runWeir(['logs', run.id], env);
    expect(logs.code, logs.output).toBe(0);
    expect(logs.output).toContain(`connecting with password ${REDACTED}`);
    expect(logs.output).toContain(`login refused for password ${REDACTED}`);
    expect(logs.output).not.toContain(SECRET);

    // Thrown from a timer, the error kills the isolate: the engine's process words that failure.
    const crashed = await runWeir(['materialize', 'res/crashy', '--json'], env);
    expect(crashed.code).toBe(1);
    expect(crashed.output).not.toContain(SECRET);
    const crashRun = JSON.parse(crashed.output) as RunJson;
    const [crash] = await sql<{ error_kind: string; error_message: string }>(
      `SELECT error_kind, error_message FROM attempts WHERE run_id = '${crashRun.id}'`,
    );
    expect(crash).toMatchObject({ error_kind: 'crashed' });
    expect(crash!.error_message).toContain(`uncaught with password ${REDACTED}`);

    const leaks = await sql<{ n: number }>(
      `SELECT (SELECT count(*) FROM event_log WHERE message LIKE '%${SECRET}%' OR data::text LIKE '%${SECRET}%')
            + (SELECT count(*) FROM attempts WHERE error_message LIKE '%${SECRET}%' OR error_stack LIKE '%${SECRET}%')
            + (SELECT count(*) FROM steps WHERE error_message LIKE '%${SECRET}%')
            + (SELECT count(*) FROM materializations WHERE metadata::text LIKE '%${SECRET}%') AS n`,
    );
    expect(Number(leaks[0]!.n)).toBe(0);
    const [logged] = await sql<{ data: Record<string, unknown> }>(
      `SELECT data FROM event_log WHERE run_id = '${run.id}' AND type = 'log' AND message LIKE 'connecting%'`,
    );
    expect(logged!.data).toMatchObject({ password: REDACTED, nested: { list: [REDACTED] } });
    const [attempt] = await sql<{ error_message: string }>(
      `SELECT error_message FROM attempts WHERE run_id = '${run.id}'`,
    );
    expect(attempt!.error_message).toBe(`login refused for password ${REDACTED}`);
  }, 120_000);

  it('weir dev: GraphQL shows redacted events and errors; stopping it disposes the instances', async () => {
    const before = lines(join(markers, 'created')).length;
    dev = spawnWeir(['dev', '--port', backend === 'pglite' ? '47231' : '47232', '--no-watch'], env);
    const api = await waitForApi(dataDir, dev);
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const response = await apiFetch(api, '/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      return body.data! as { materialize?: { id: string }; run?: GqlRun };
    };
    const { materialize } = await gql(`mutation { materialize(selection: "res/leaky,res/first") { id } }`);
    let run: GqlRun | undefined;
    for (let i = 0; i < 300; i++) {
      ({ run } = await gql(
        `query ($id: String!) { run(id: $id) { status
           steps { assetKey error attempts { errorMessage errorStack } }
           events { type message data } } }`,
        { id: materialize!.id },
      ));
      if (!['QUEUED', 'RUNNING'].includes(run!.status)) break;
      await sleep(100);
    }
    expect(run!.status).toBe('FAILED');
    const text = JSON.stringify(run);
    expect(text).not.toContain(SECRET);
    expect(text).toContain(REDACTED);
    const leaky = run!.steps.find((s) => s.assetKey === 'res/leaky')!;
    expect(leaky.attempts[0]!.errorMessage).toBe(`login refused for password ${REDACTED}`);

    dev.child.kill('SIGTERM');
    expect(await dev.exited).toBe(0);
    expect(dev.output()).not.toContain(SECRET);
    const created = lines(join(markers, 'created')).slice(before);
    expect(created.length).toBeGreaterThanOrEqual(1);
    // Every instance this weir dev created was disposed before it exited.
    expect(lines(join(markers, 'disposed'))).toEqual(expect.arrayContaining(created));
  }, 180_000);
});
