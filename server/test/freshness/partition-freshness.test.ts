import { afterEach, describe, expect, it } from 'vitest';
import { FreshnessMonitor } from '../../src/freshness/freshness-monitor.js';
import type { Alert } from '../../src/alerts/alert-sink.port.js';
import { asset } from '../../src/sdk/asset.js';
import { maxLag } from '../../src/sdk/freshness.js';
import { dailyPartitions } from '../../src/sdk/partitions.js';
import { STORAGE_BACKENDS, type StorageBackend } from '../support/databases.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

const HOUR = 3_600_000;

interface EventRow {
  type: string;
  data: { partitionKey: string; from: string; to: string; missedDeadline: string | null };
}

// Freshness per partition: a daily asset is held to its latest complete day, due 2h after that
// day ends. The manual clock starts at 2026-01-01T00:00Z, when 2025-12-31 has just ended.
describe.each(STORAGE_BACKENDS)('freshness of a time-partitioned asset on %s', (backend: StorageBackend) => {
  let h: EngineHarness | undefined;
  let monitor: FreshnessMonitor | undefined;
  afterEach(async () => {
    monitor?.stop();
    await h?.close();
    h = monitor = undefined;
  });

  const orders = asset({
    key: 'silver/orders',
    partitions: dailyPartitions({ start: '2025-12-29' }),
    freshness: maxLag('2h'),
    materialize: (ctx) => ({ day: ctx.partition }),
  });

  async function setup(options: { subscribe: boolean; recheckIntervalMs?: number }) {
    const harness = await startEngine(backend, [orders], { manualClock: true });
    h = harness;
    const alerts: Alert[] = [];
    monitor = new FreshnessMonitor({
      dataSource: harness.database.dataSource,
      graph: () => harness.engine.graph,
      clock: harness.clock!,
      materializations: options.subscribe ? harness.engine : undefined,
      alert: async (alert) => void alerts.push(alert),
      recheckIntervalMs: options.recheckIntervalMs,
      log: () => {},
    });
    const materialize = async (day: string) => {
      const run = await harness.engine.requestRun({ selection: 'silver/orders', trigger: 'manual', partitions: [day] });
      expect((await harness.engine.waitForRun(run.id)).status).toBe('succeeded');
      await monitor!.idle();
    };
    const advance = async (ms: number) => {
      harness.clock!.advance(ms);
      // The timer's evaluation starts on the next turn; wait until it and its reads are done.
      await new Promise((resolve) => setImmediate(resolve));
      await monitor!.idle();
    };
    const events = async (): Promise<string[]> => {
      const rows: EventRow[] = await harness.database.dataSource.query(
        `SELECT type, data FROM event_log WHERE type LIKE 'freshness.%' ORDER BY id`,
      );
      return rows.map((row) => `${row.type} ${row.data.partitionKey}`);
    };
    return { harness, alerts, materialize, advance, events };
  }

  it('holds each day to its own deadline: late, recovered, the next day due, a late day backfilled', async () => {
    const { harness, alerts, materialize, advance, events } = await setup({ subscribe: true });
    await monitor!.start();
    await monitor!.idle();
    // 2025-12-31 is due by 02:00 and has not come: fresh until then, one timer.
    expect(await events()).toEqual([]);
    expect(harness.clock!.pendingDelays()).toEqual([2 * HOUR]);
    let [view] = await harness.engine.freshness();
    expect(view).toMatchObject({
      partitionKey: '2025-12-31',
      status: 'fresh',
      nextDeadline: '2026-01-01T02:00:00.000Z',
    });

    await advance(2 * HOUR);
    expect(await events()).toEqual(['freshness.late 2025-12-31']);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: 'freshness.late',
      title: 'silver/orders [2025-12-31] is late',
      dedupKey: 'freshness.late:silver/orders:2025-12-31:2026-01-01T02:00:00.000Z',
    });
    // Late until materialized; the next change is when 2026-01-01 ends and becomes due.
    expect(harness.clock!.pendingDelays()).toEqual([22 * HOUR]);

    // Materializing another day does not help 2025-12-31.
    await advance(HOUR);
    await materialize('2025-12-30');
    expect(await events()).toEqual(['freshness.late 2025-12-31']);
    await materialize('2025-12-31');
    expect(await events()).toEqual(['freshness.late 2025-12-31', 'freshness.fresh 2025-12-31']);
    expect(alerts.map((a) => a.kind)).toEqual(['freshness.late', 'freshness.recovered']);

    // Midnight: 2026-01-01 is due by 02:00, and misses it.
    await advance(21 * HOUR);
    [view] = await harness.engine.freshness();
    expect(view).toMatchObject({ partitionKey: '2026-01-01', status: 'fresh', lastMaterializedAt: null });
    await advance(2 * HOUR);
    expect((await events()).at(-1)).toBe('freshness.late 2026-01-01');

    // The next midnight: 2026-01-02 is due (and fresh for now); 2026-01-01 is still late, so
    // its breach is the asset's last.
    await advance(22 * HOUR);
    [view] = await harness.engine.freshness();
    expect(view).toMatchObject({
      partitionKey: '2026-01-02',
      status: 'fresh',
      lastBreachAt: '2026-01-02T02:00:00.000Z',
    });
    // Backfilling the late day recovers it, though it is no longer the one due.
    await materialize('2026-01-01');
    expect(await events()).toEqual([
      'freshness.late 2025-12-31',
      'freshness.fresh 2025-12-31',
      'freshness.late 2026-01-01',
      'freshness.fresh 2026-01-01',
    ]);
    expect(alerts.map((a) => `${a.kind} ${a.partitionKey}`)).toEqual([
      'freshness.late 2025-12-31',
      'freshness.recovered 2025-12-31',
      'freshness.late 2026-01-01',
      'freshness.recovered 2026-01-01',
    ]);
  });

  it('on a server (materializations made by workers), re-checks a late older day until it comes', async () => {
    const { harness, alerts, materialize, advance, events } = await setup({
      subscribe: false,
      recheckIntervalMs: 5_000,
    });
    await monitor!.start();
    await advance(2 * HOUR); // 2025-12-31 late
    await advance(22 * HOUR); // 2026-01-01 due and fresh; 2025-12-31 still late
    expect(await events()).toEqual(['freshness.late 2025-12-31']);
    // The due day is fresh, but the late one keeps the asset on the recheck interval.
    expect(harness.clock!.pendingDelays()).toEqual([5_000]);

    await materialize('2025-12-31'); // unheard of by this monitor
    expect(await events()).toEqual(['freshness.late 2025-12-31']);
    await advance(5_000);
    expect(await events()).toEqual(['freshness.late 2025-12-31', 'freshness.fresh 2025-12-31']);
    expect(alerts.map((a) => a.kind)).toEqual(['freshness.late', 'freshness.recovered']);
    // Nothing breached any more: back to one timer, when 2026-01-01 is due (02:00).
    expect(harness.clock!.pendingDelays()).toEqual([2 * HOUR - 5_000]);
  });
});
