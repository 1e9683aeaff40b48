import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SensorRunner } from '../../src/automation/sensor-runner.js';
import type { ManualClock } from '../../src/runs/clock.js';
import { asset } from '../../src/sdk/asset.js';
import { eager } from '../../src/sdk/automation.js';
import { sensor } from '../../src/sdk/sensor.js';
import { sourceAsset } from '../../src/sdk/source-asset.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startAutomation, type AutomationHarness } from '../support/automation-harness.js';
import { waitFor } from '../support/engine-harness.js';

describe.each(STORAGE_BACKENDS)('a directory-watching sensor (%s)', (backend) => {
  let h: AutomationHarness | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'weir-drops-'));
  afterEach(async () => {
    await h?.close();
    h = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports new files once, with a durable cursor, and triggers the downstream asset', async () => {
    let broken = false;
    const files = sourceAsset({ key: 'vendor/files' });
    const loaded = asset({
      key: 'bronze/loaded',
      deps: { files },
      automation: eager(),
      materialize: async (_c, { files: f }) => f?.dataVersion ?? null,
    });
    const watcher = sensor({
      name: 'drop_watcher',
      interval: '10s',
      evaluate: async ({ cursor }) => {
        if (broken) throw new Error('bucket unreachable');
        const fresh = readdirSync(dir)
          .filter((f) => !cursor || f > cursor)
          .sort();
        return {
          cursor: fresh.at(-1) ?? cursor,
          observations: fresh.map((f) => ({ assetKey: 'vendor/files', dataVersion: f })),
        };
      },
    });
    h = await startAutomation(backend, [files, loaded], { manualClock: true });
    const harness = h;
    const runner = () =>
      new SensorRunner({
        dataSource: harness.database.dataSource,
        graph: () => harness.engine.graph,
        sensors: () => [watcher],
        clock: harness.clock!,
        automation: harness.automation,
        snapshotId: () => harness.engine.currentSnapshotId(),
        startRun: (id) => harness.engine.startPlannedRun(id),
        log: () => {},
      });
    const count = async (sql: string) => Number((await harness.database.dataSource.query(sql))[0].n);

    writeFileSync(join(dir, 'a.csv'), '1');
    writeFileSync(join(dir, 'b.csv'), '2');
    const first = await runner().tick(watcher);
    expect(first).toMatchObject({ observations: 2, cursor: 'b.csv' });
    await harness.settle();
    expect(await harness.runsOf('bronze/loaded')).toEqual([
      expect.objectContaining({ trigger: 'upstream', status: 'succeeded' }),
    ]);

    // Nothing new, and a restarted runner reads the cursor back: nothing reported twice.
    expect(await runner().tick(watcher)).toMatchObject({ observations: 0, cursor: 'b.csv' });
    writeFileSync(join(dir, 'c.csv'), '3');
    expect(await runner().tick(watcher)).toMatchObject({ observations: 1, cursor: 'c.csv' });
    await harness.settle();
    expect(await count(`SELECT count(*) AS n FROM observations WHERE source = 'sensor:drop_watcher'`)).toBe(3);
    expect(await harness.runsOf('bronze/loaded')).toHaveLength(2);

    // A failing sensor keeps its cursor and says why.
    broken = true;
    expect(await runner().tick(watcher)).toMatchObject({
      observations: 0,
      error: 'bucket unreachable',
      cursor: 'c.csv',
    });
    const [state] = await harness.database.dataSource.query(
      `SELECT cursor, last_error FROM sensor_states WHERE name = 'drop_watcher'`,
    );
    expect(state).toEqual({ cursor: 'c.csv', last_error: 'bucket unreachable' });
    broken = false;

    // Timers: one per sensor, firing at its interval.
    const timed = runner();
    await timed.start();
    writeFileSync(join(dir, 'd.csv'), '4');
    (harness.clock as ManualClock).advance(0);
    await waitFor(async () => (await count(`SELECT count(*) AS n FROM observations`)) === 4, 'the timed tick');
    expect(timed.scheduled()).toBe(1);
    timed.stop();
    expect(readdirSync(dir)).toHaveLength(4);
  });

  it('refuses bad sensor definitions, naming them', () => {
    expect(() => sensor({ name: 'Bad Name', interval: '1s', evaluate: async () => ({}) })).toThrow(
      /invalid sensor name "Bad Name"[\s\S]*sensors\.test\.ts/,
    );
    expect(() => sensor({ name: 'ok', interval: 'often', evaluate: async () => ({}) })).toThrow(
      /sensor 'ok' has an invalid interval/,
    );
  });
});
