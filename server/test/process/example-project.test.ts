import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunView } from '../../src/runs/run-queries.js';
import { apiFetch, killHard, runWeir, spawnWeir, waitForApi, type WeirProcess } from '../support/weir-process.js';

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

  // Seven processes in a row: on a loaded CI machine each start costs seconds. Each command has
  // its own limit (see runWeir), and a failure reports how long each phase took and what
  // `weir dev` printed, so a slow or stuck phase can be told apart.
  it(
    'materializes every example asset through the CLI while dev holds the database',
    { timeout: 400_000 },
    async () => {
      const started = Date.now();
      const phases: string[] = [];
      const mark = (phase: string) => phases.push(`${((Date.now() - started) / 1000).toFixed(1)}s ${phase}`);
      try {
        await exampleProjectScenario(mark);
      } catch (error) {
        (error as Error).message +=
          `\nphases (time at end of each):\n${phases.join('\n')}\nweir dev printed:\n${dev?.output() ?? '(not started)'}`;
        throw error;
      }
    },
  );

  async function exampleProjectScenario(mark: (phase: string) => void): Promise<void> {
    // Run from the repository root so WEIR_PROJECT's default (./assets) is the example project.
    dev = spawnWeir(['dev', '--port', '0', '--no-watch'], env, REPO);
    const api = await waitForApi(dataDir, dev);
    mark('dev up');
    expect(await (await fetch(`${api}/healthz`)).text()).toBe('ok');
    const { process: running } = (await (await apiFetch(api, '/readyz')).json()) as {
      process: { database: string; assets: number };
    };
    expect(running.database).toBe('pglite');
    expect(running.assets).toBeGreaterThanOrEqual(9);

    const materialize = await runWeir(['materialize', '*', '--json'], env, REPO);
    mark('materialize');
    expect(materialize.code, materialize.output).toBe(0);
    const run = JSON.parse(materialize.output.slice(materialize.output.indexOf('{'))) as RunView;
    expect(run.status).toBe('succeeded');
    expect(run.steps.length).toBeGreaterThanOrEqual(8);
    expect(run.steps.every((step) => step.status === 'succeeded')).toBe(true);
    // The gold assets' data-quality checks (blocking and warn-only) all pass on the generated data.
    const checks = run.steps.flatMap((step) => step.checks);
    expect(checks.length).toBeGreaterThanOrEqual(3);
    expect(checks.filter((c) => !c.passed)).toEqual([]);
    expect(run.steps.some((step) => step.attempts > 1)).toBe(true);
    // Through the running server's API: store-relative, never the server's filesystem path.
    expect(run.steps.some((step) => step.output?.uri?.startsWith('weir-store://runs/'))).toBe(true);
    expect(run.steps.every((step) => typeof step.output?.metadata.rows === 'number')).toBe(true);

    const logs = await runWeir(['logs', run.id], env, REPO);
    mark('logs');
    expect(logs.code, logs.output).toBe(0);
    expect(logs.output).toMatch(/attempt 1 failed \(user\): .*503/);
    expect(logs.output).toMatch(/retry 2 scheduled in/);
    expect(logs.output).toMatch(/materialized \(json, \d+ bytes, stored at weir-store:\/\/runs\//);

    const runs = await runWeir(['runs'], env, REPO);
    mark('runs');
    expect(runs.code, runs.output).toBe(0);
    expect(runs.output).toContain(run.id);

    // The gold assets' freshness SLAs: met right after the run (asked through dev's API).
    const freshness = await runWeir(['freshness'], env, REPO);
    mark('freshness');
    expect(freshness.code, freshness.output).toBe(0);
    expect(freshness.output).toMatch(/gold\/daily_revenue\s+deadline '0 9 \* \* \*' Europe\/Paris \+30m\s+fresh/);
    expect(freshness.output).toMatch(/gold\/customer_360\s+maxLag 1d \(warn 12h\)\s+fresh/);

    // A second start on the same data dir is refused with a message naming the holder.
    const second = await runWeir(['dev', '--port', '0'], env, REPO);
    mark('second dev refused');
    expect(second.code, second.output).toBe(2);
    expect(second.output).toContain(`in use by \`weir dev\` (pid ${dev.child.pid})`);

    dev.child.kill('SIGTERM');
    const stopped = await Promise.race([dev.exited, sleep(60_000).then(() => 'still running after 60 s')]);
    mark('dev stopped');
    expect(stopped).toBe(0);

    // Without dev, `weir freshness` opens the data directory itself; the monitor recorded the
    // breach of the never-materialized assets at start, and their recovery.
    const local = await runWeir(['freshness', '--json'], env, REPO);
    mark('local freshness');
    expect(local.code, local.output).toBe(0);
    const rows = JSON.parse(local.output.slice(local.output.indexOf('['))) as Array<{
      assetKey: string;
      status: string;
      lastBreachAt: string | null;
    }>;
    const revenue = rows.find((row) => row.assetKey === 'gold/daily_revenue');
    expect(revenue).toMatchObject({ status: 'fresh', lastBreachAt: expect.any(String) });
  }
});
