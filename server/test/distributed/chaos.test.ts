import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunView } from '../../src/runs/run-queries.js';
import { openDatabase } from '../../src/storage/data-source.factory.js';
import { createApiToken } from '../support/api-auth.js';
import { createPostgresDatabase, dropPostgresDatabase } from '../support/databases.js';
import { waitFor } from '../support/engine-harness.js';
import { freePort, RedisProcess } from '../support/redis-process.js';
import { killHard, spawnWeir, type WeirProcess } from '../support/weir-process.js';

const PROJECT = fileURLToPath(new URL('../fixtures/chaos-project/index.ts', import.meta.url));
const STEPS = 210;

async function serverUrl(server: WeirProcess): Promise<string> {
  return waitFor(async () => /API http:\/\/([\d.]+:\d+)/.exec(server.output())?.[1], 'weir server to listen').then(
    (host) => `http://${host}`,
  );
}

describe('distributed execution under chaos', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-chaos-'));
  const processes: WeirProcess[] = [];
  let redis: RedisProcess | undefined;
  let databaseUrl: string | undefined;

  afterAll(async () => {
    await Promise.all(processes.filter((p) => p.child.exitCode === null).map(killHard));
    await redis?.stop();
    if (databaseUrl) await dropPostgresDatabase(databaseUrl);
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${STEPS} steps on 3 workers, one SIGKILLed every second and Redis restarted once: every step ends exactly once`, async () => {
    redis = new RedisProcess(await freePort());
    await redis.start();
    databaseUrl = await createPostgresDatabase();
    const authorization = `Bearer ${await createApiToken(databaseUrl, 'operator')}`;
    const env = {
      WEIR_PROJECT: PROJECT,
      WEIR_DATA_DIR: join(dir, 'data'),
      WEIR_DATABASE_URL: databaseUrl,
      WEIR_REDIS_URL: redis.url,
      WEIR_HEARTBEAT_INTERVAL: '300ms',
      WEIR_LOST_AFTER: '1500ms',
      WEIR_RETRY_MAX_ATTEMPTS: '50',
      WEIR_RETRY_BACKOFF: 'fixed',
      WEIR_RETRY_DELAY: '100ms',
      WEIR_RETRY_JITTER: 'none',
    };
    const server = spawnWeir(['server', '--port', '0'], env);
    processes.push(server);
    const api = await serverUrl(server);
    const spawnWorker = () => {
      const worker = spawnWeir(['worker', '--concurrency', '4'], env);
      processes.push(worker);
      return worker;
    };
    const workers = [spawnWorker(), spawnWorker(), spawnWorker()];
    await waitFor(async () => workers.every((w) => w.output().includes('Weir worker')), 'the workers to start');

    const response = await fetch(`${api}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ selection: '*' }),
    });
    const run = (await response.json()) as RunView;
    expect(run.steps).toHaveLength(STEPS);

    const runView = async () =>
      (await (await fetch(`${api}/api/runs/${run.id}`, { headers: { authorization } })).json()) as RunView;
    let kills = 0;
    let redisRestarted = false;
    // The chaos phase: up to 45 s of one SIGKILL a second (and one Redis restart), or until
    // the run ends; then the survivors finish it.
    for (let second = 0; second < 45; second++) {
      const view = await runView();
      if (view.status === 'succeeded' || view.status === 'failed') break;
      await sleep(1000);
      const victim = workers[second % workers.length]!;
      await killHard(victim);
      kills++;
      workers[second % workers.length] = spawnWorker();
      if (second === 3) {
        await redis.restart();
        redisRestarted = true;
      }
    }
    const final = await waitFor(
      async () => {
        const view = await runView();
        return view.status === 'succeeded' || view.status === 'failed' ? view : undefined;
      },
      'the run to end',
      120_000,
    );

    expect(redisRestarted).toBe(true);
    expect(kills).toBeGreaterThanOrEqual(5);
    expect(final.status).toBe('succeeded');
    expect(final.steps.every((step) => step.status === 'succeeded')).toBe(true);

    await Promise.all(processes.filter((p) => p.child.exitCode === null).map(killHard));
    const database = await openDatabase({ kind: 'postgres', url: databaseUrl });
    try {
      const [counts] = await database.dataSource.query(
        `SELECT count(*) AS materializations, count(DISTINCT step_id) AS steps FROM materializations WHERE run_id = $1`,
        [run.id],
      );
      expect(Number(counts.materializations)).toBe(STEPS);
      expect(Number(counts.steps)).toBe(STEPS);
      const perStep: Array<{ succeeded: string; materialized_events: string }> = await database.dataSource.query(
        `SELECT (SELECT count(*) FROM attempts a WHERE a.step_id = s.id AND a.status = 'succeeded') AS succeeded,
                (SELECT count(*) FROM event_log e WHERE e.step_id = s.id AND e.type = 'step.materialized') AS materialized_events
           FROM steps s WHERE s.run_id = $1`,
        [run.id],
      );
      expect(perStep.every((row) => Number(row.succeeded) === 1 && Number(row.materialized_events) === 1)).toBe(true);
      const [{ lost }] = await database.dataSource.query(`SELECT count(*) AS lost FROM attempts WHERE status = 'lost'`);
      // The kills did hit running steps (otherwise the test proved nothing).
      expect(Number(lost)).toBeGreaterThan(0);
      const [{ stuck }] = await database.dataSource.query(
        `SELECT count(*) AS stuck FROM steps WHERE run_id = $1 AND status NOT IN ('succeeded', 'failed', 'skipped', 'canceled')`,
        [run.id],
      );
      expect(Number(stuck)).toBe(0);
    } finally {
      await database.close();
    }
  }, 300_000);
});
