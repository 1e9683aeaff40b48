import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPoolSandbox } from '../../src/execution/isolate/worker-pool-sandbox.js';
import { loadProject, type LoadedProject } from '../../src/project/project-loader.js';

const PROJECT = fileURLToPath(new URL('../fixtures/resources-project/index.ts', import.meta.url));
const SECRET = 'sensor-S3cret-value';

const lines = (file: string): string[] =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

// The pool of isolates itself: instances per thread, disposed in each thread on close, and
// a sensor's secret redacted on the channel.
describe('resources in a pool of isolates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-resource-isolates-'));
  const markers = join(dir, 'markers');
  const saved = { ...process.env };
  let project: LoadedProject;

  beforeAll(async () => {
    mkdirSync(markers);
    // Isolates are threads: they read this process's environment.
    Object.assign(process.env, { WH_URL: 'pg://wh', WH_PASSWORD: SECRET, WH_MARKER_DIR: markers });
    project = await loadProject(PROJECT);
  }, 60_000);

  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  const sandbox = (concurrency: number) =>
    new WorkerPoolSandbox({
      entry: project.entry,
      graphHash: project.graph.hash,
      objectStore: { url: undefined, defaultRoot: join(dir, 'objects') },
      concurrency,
      graceMs: 200,
    });

  const evaluate = async (pool: WorkerPoolSandbox, name: string, logged: string[] = []) => {
    const task = pool.runSensor(name, undefined, {
      log: (_level, message) => void logged.push(message),
      checkpoint: () => Promise.reject(new Error('no')),
    });
    return task.outcome;
  };

  it('two evaluations at once on two threads make two instances; close disposes both, each in its thread', async () => {
    const pool = sandbox(2);
    await pool.warm();
    const results = await Promise.all([evaluate(pool, 'slow_watcher'), evaluate(pool, 'slow_watcher')]);
    const ids = results.map((r) => (r.ok ? r.result.cursor : r.error.message));
    expect(new Set(ids).size).toBe(2);
    // A third evaluation reuses its thread's instance.
    const again = await evaluate(pool, 'slow_watcher');
    expect(ids).toContain(again.ok && again.result.cursor);
    expect(lines(join(markers, 'created')).sort()).toEqual([...ids].sort());
    expect(lines(join(markers, 'disposed'))).toEqual([]);
    await pool.close();
    expect(lines(join(markers, 'disposed')).sort()).toEqual([...ids].sort());
  }, 60_000);

  it("a sensor's logged and thrown secret is redacted before it leaves the isolate", async () => {
    const pool = sandbox(1);
    try {
      const logged: string[] = [];
      const outcome = await evaluate(pool, 'leaky_sensor', logged);
      expect(outcome.ok).toBe(false);
      expect(!outcome.ok && outcome.error.message).toBe('sensor refused password [redacted:WH_PASSWORD]');
      expect(!outcome.ok && outcome.error.stack).not.toContain(SECRET);
      expect(logged).toEqual(['sensor sees [redacted:WH_PASSWORD]']);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
