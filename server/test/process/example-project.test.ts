import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunView } from '../../src/runs/run-queries.js';
import { killHard, runWeir, spawnWeir, waitForApi, type WeirProcess } from '../support/weir-process.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

// What the README promises: `weir dev` on the embedded defaults with the example project, then
// `weir materialize '*'` from another shell materializes everything, and `weir logs` shows the
// retry and the URI payloads.
describe('the example project under weir dev (embedded defaults)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-example-'));
  const dataDir = join(dir, '.weir');
  const env = { WEIR_DATA_DIR: dataDir };
  let dev: WeirProcess | undefined;

  afterAll(async () => {
    if (dev && dev.child.exitCode === null) await killHard(dev);
    rmSync(dir, { recursive: true, force: true });
  });

  it('materializes every example asset through the CLI while dev holds the database', async () => {
    // Run from the repository root so WEIR_PROJECT's default (./assets) is the example project.
    dev = spawnWeir(['dev', '--port', '0', '--no-watch'], env, REPO);
    const api = await waitForApi(dataDir, dev);
    const health = (await (await fetch(`${api}/healthz`)).json()) as {
      status: string;
      database: string;
      assets: number;
    };
    expect(health).toMatchObject({ status: 'ok', database: 'pglite' });
    expect(health.assets).toBeGreaterThanOrEqual(9);

    const materialize = await runWeir(['materialize', '*', '--json'], env, REPO);
    expect(materialize.code, materialize.output).toBe(0);
    const run = JSON.parse(materialize.output.slice(materialize.output.indexOf('{'))) as RunView;
    expect(run.status).toBe('succeeded');
    expect(run.steps.length).toBeGreaterThanOrEqual(8);
    expect(run.steps.every((step) => step.status === 'succeeded')).toBe(true);
    expect(run.steps.some((step) => step.attempts > 1)).toBe(true);
    expect(run.steps.some((step) => step.output?.uri?.startsWith('file://'))).toBe(true);
    expect(run.steps.every((step) => typeof step.output?.metadata.rows === 'number')).toBe(true);

    const logs = await runWeir(['logs', run.id], env, REPO);
    expect(logs.code).toBe(0);
    expect(logs.output).toMatch(/attempt 1 failed \(user\): .*503/);
    expect(logs.output).toMatch(/retry 2 scheduled in/);
    expect(logs.output).toMatch(/materialized \(json, \d+ bytes, stored at file:\/\/\//);

    const runs = await runWeir(['runs'], env, REPO);
    expect(runs.code).toBe(0);
    expect(runs.output).toContain(run.id);

    // A second start on the same data dir is refused with a message naming the holder.
    const second = await runWeir(['dev', '--port', '0'], env, REPO);
    expect(second.code).toBe(2);
    expect(second.output).toContain(`in use by \`weir dev\` (pid ${dev.child.pid})`);

    dev.child.kill('SIGTERM');
    expect(await dev.exited).toBe(0);
  });
});
