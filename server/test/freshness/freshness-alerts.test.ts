import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AlertDispatcher } from '../../src/alerts/alert-dispatcher.js';
import { createAlertSinks } from '../../src/alerts/alert-sink.factory.js';
import type { Alert } from '../../src/alerts/alert-sink.port.js';
import { alertOnRunFailures } from '../../src/alerts/run-failure-alerts.js';
import { FreshnessMonitor } from '../../src/freshness/freshness-monitor.js';
import type { ManualClock } from '../../src/runs/clock.js';
import { asset } from '../../src/sdk/asset.js';
import type { AnyAssetDefinition } from '../../src/sdk/asset.js';
import { deadline, maxLag } from '../../src/sdk/freshness.js';
import { startAlertReceiver, type AlertReceiver, type ReceivedRequest } from '../support/alert-receiver.js';
import { STORAGE_BACKENDS, type StorageBackend } from '../support/databases.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

// What a webhook URL carries and must never leak into logs or the event log.
const SECRET = 'T0000-B0000-s3cr3t-t0k3n';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface EventRow {
  type: string;
  message: string;
  data: Record<string, unknown>;
}

describe.each(STORAGE_BACKENDS)('freshness SLAs and alerts on %s', (backend: StorageBackend) => {
  let receiver: AlertReceiver;
  let h: EngineHarness | undefined;
  let monitors: FreshnessMonitor[] = [];
  let logs: string[] = [];

  beforeAll(async () => {
    receiver = await startAlertReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });
  afterEach(async () => {
    for (const monitor of monitors) monitor.stop();
    monitors = [];
    logs = [];
    await h?.close();
    h = undefined;
  });

  /** An engine on a manual clock (2026-01-01T00:00Z), a webhook sink to the receiver at `/<name>/<secret>`. */
  async function setup(assets: readonly AnyAssetDefinition[], name: string) {
    const harness = await startEngine(backend, assets, { manualClock: true });
    h = harness;
    const clock = harness.clock!;
    const sinks = await createAlertSinks({
      alertWebhookUrl: receiver.url(`/${name}/${SECRET}`),
      alertSlackWebhookUrl: undefined,
    });
    const dispatcher = new AlertDispatcher({
      dataSource: harness.database.dataSource,
      sinks,
      clock,
      log: (line) => logs.push(line),
      retryDelayMs: 5,
    });
    const monitor = (options: { subscribe?: boolean; recheckIntervalMs?: number } = {}) => {
      const created = new FreshnessMonitor({
        dataSource: harness.database.dataSource,
        graph: () => harness.engine.graph,
        clock,
        materializations: (options.subscribe ?? true) ? harness.engine : undefined,
        alert: (alert) => dispatcher.dispatch(alert),
        recheckIntervalMs: options.recheckIntervalMs,
        log: (line) => logs.push(line),
      });
      monitors.push(created);
      return created;
    };
    const alerts = (): Alert[] =>
      receiver
        .delivered()
        .filter((request: ReceivedRequest) => request.path.startsWith(`/${name}/`))
        .map((request) => request.body as Alert);
    /** Waits for the monitors' evaluations and the deliveries they started. */
    const settle = async () => {
      for (const created of monitors) await created.idle();
      await dispatcher.drain();
    };
    return { harness, clock, dispatcher, monitor, alerts, settle };
  }

  async function materialize(harness: EngineHarness, key: string): Promise<string> {
    const run = await harness.engine.requestRun({ selection: key, trigger: 'manual' });
    return (await harness.engine.waitForRun(run.id)).status;
  }

  async function freshnessEvents(harness: EngineHarness): Promise<EventRow[]> {
    return harness.database.dataSource.query(
      `SELECT type, message, data FROM event_log WHERE type LIKE 'freshness.%' ORDER BY id`,
    );
  }

  function advanceTo(clock: ManualClock, iso: string): void {
    clock.advance(Date.parse(iso) - clock.now().getTime());
  }

  it('a deadline that passes: one late transition and one alert; the next materialization: one recovery notice', async () => {
    const daily = asset({
      key: 'gold/daily',
      freshness: deadline({ cron: '0 9 * * *', maxLag: '30m' }),
      materialize: () => 1,
    });
    const { harness, clock, monitor, alerts, settle } = await setup([daily], 'deadline');
    advanceTo(clock, '2026-01-01T08:00:00Z');
    expect(await materialize(harness, 'gold/daily')).toBe('succeeded');

    const first = monitor();
    await first.start();
    // Fresh and staying so until 09:30: nothing written, one timer for that moment.
    expect(await harness.count('freshness_states')).toBe(0);
    expect(first.scheduled()).toBe(1);
    expect(clock.pendingDelays()).toEqual([90 * MINUTE]);

    clock.advance(90 * MINUTE); // 09:30: the deadline passes without a materialization after 09:00
    await settle();
    let events = await freshnessEvents(harness);
    expect(events.map((e) => e.type)).toEqual(['freshness.late']);
    expect(events[0]!.data).toMatchObject({
      from: 'fresh',
      to: 'late',
      missedDeadline: '2026-01-01T09:30:00.000Z',
      lagMs: 90 * MINUTE,
      lastMaterializedAt: '2026-01-01T08:00:00.000Z',
    });
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]).toMatchObject({
      kind: 'freshness.late',
      assetKey: 'gold/daily',
      title: 'gold/daily is late',
      dedupKey: 'freshness.late:gold/daily::2026-01-01T09:30:00.000Z',
      details: { missedDeadline: '2026-01-01T09:30:00.000Z', lagMs: 90 * MINUTE },
    });
    // Late: only a materialization changes that, so no timer in a process that sees them all.
    expect(first.scheduled()).toBe(0);

    // Evaluating again, later, and restarting the monitor: no new transition, no second alert.
    await first.evaluate('gold/daily');
    clock.advance(HOUR);
    await first.evaluate('gold/daily');
    first.stop();
    const second = monitor();
    await second.start();
    await settle();
    expect((await freshnessEvents(harness)).map((e) => e.type)).toEqual(['freshness.late']);
    expect(alerts()).toHaveLength(1);

    // 10:30: materialized again; the engine's event re-evaluates at once.
    expect(await materialize(harness, 'gold/daily')).toBe('succeeded');
    await settle();
    events = await freshnessEvents(harness);
    expect(events.map((e) => e.type)).toEqual(['freshness.late', 'freshness.fresh']);
    expect(events[1]!.data).toMatchObject({
      from: 'late',
      to: 'fresh',
      missedDeadline: '2026-01-01T09:30:00.000Z',
      lastMaterializedAt: '2026-01-01T10:30:00.000Z',
    });
    expect(events[1]!.message).toContain('1h 0m after the missed deadline 2026-01-01T09:30:00.000Z');
    expect(alerts().map((a) => a.kind)).toEqual(['freshness.late', 'freshness.recovered']);
    expect(alerts()[1]).toMatchObject({ title: 'gold/daily is fresh again', at: '2026-01-01T10:30:00.000Z' });
    // Fresh until tomorrow's deadline.
    expect(clock.pendingDelays()).toEqual([23 * HOUR]);

    const [state] = await harness.database.dataSource.query(
      `SELECT status, since, last_breach_at, missed_deadline FROM freshness_states WHERE asset_key = 'gold/daily'`,
    );
    expect(state.status).toBe('fresh');
    expect(new Date(state.since).toISOString()).toBe('2026-01-01T10:30:00.000Z');
    expect(new Date(state.last_breach_at).toISOString()).toBe('2026-01-01T09:30:00.000Z');
    const deliveries = await harness.database.dataSource.query(
      `SELECT sink, status, attempts FROM alert_deliveries ORDER BY dedup_key`,
    );
    expect(deliveries).toEqual([
      { sink: 'webhook', status: 'sent', attempts: 1 },
      { sink: 'webhook', status: 'sent', attempts: 1 },
    ]);

    // The webhook URL's secret is in neither the event log, the delivery records, nor the logs.
    const stored = await harness.database.dataSource.query(
      `SELECT (SELECT string_agg(message || data::text, ' ') FROM event_log) AS events,
              (SELECT string_agg(sink || dedup_key || coalesce(error, ''), ' ') FROM alert_deliveries) AS deliveries`,
    );
    expect(JSON.stringify(stored)).not.toContain(SECRET);
    expect(logs.join('\n')).not.toContain(SECRET);
    // The dedup key also goes out as a header, for receivers that deduplicate themselves.
    const request = receiver.delivered().find((r) => r.path.startsWith('/deadline/'))!;
    expect(request.headers['idempotency-key']).toBe('freshness.late:gold/daily::2026-01-01T09:30:00.000Z');
  });

  it('maxLag goes fresh → warning → late; without engine events a recheck timer notices the recovery', async () => {
    const hourly = asset({
      key: 'silver/hourly',
      freshness: maxLag('2h', { warn: '90m' }),
      materialize: () => 2,
    });
    const { harness, clock, monitor, alerts, settle } = await setup([hourly], 'max-lag');
    expect(await materialize(harness, 'silver/hourly')).toBe('succeeded');
    // As on a `weir server`: materializations happen in workers, this monitor only reads the database.
    const leader = monitor({ subscribe: false, recheckIntervalMs: 5_000 });
    await leader.start();
    expect(clock.pendingDelays()).toEqual([90 * MINUTE]);

    clock.advance(90 * MINUTE);
    await settle();
    expect(alerts().map((a) => a.kind)).toEqual(['freshness.warning']);
    // Warning: re-checked every 5 s (a worker may have materialized), late at 2h at the latest.
    expect(clock.pendingDelays()).toEqual([5_000]);

    clock.advance(30 * MINUTE);
    await settle();
    expect(alerts().map((a) => a.kind)).toEqual(['freshness.warning', 'freshness.late']);
    expect(alerts()[1]!.details).toMatchObject({ missedDeadline: '2026-01-01T02:00:00.000Z', lagMs: 2 * HOUR });

    // The monitor does not hear of this one: the next recheck finds it.
    expect(await materialize(harness, 'silver/hourly')).toBe('succeeded');
    await settle();
    expect(alerts()).toHaveLength(2);
    clock.advance(5_000);
    await settle();
    expect(alerts().map((a) => a.kind)).toEqual(['freshness.warning', 'freshness.late', 'freshness.recovered']);
    expect((await freshnessEvents(harness)).map((e) => e.type)).toEqual([
      'freshness.warning',
      'freshness.late',
      'freshness.fresh',
    ]);
    // Fresh again: back to one timer, at the warn time of the materialization made 5 s ago.
    expect(clock.pendingDelays()).toEqual([90 * MINUTE - 5_000]);
  });

  it('an asset never materialized is late at start, alerted once across restarts', async () => {
    const report = asset({ key: 'gold/report', freshness: maxLag('1d'), materialize: () => 3 });
    const { harness, monitor, alerts, settle } = await setup([report], 'never');
    await monitor().start();
    await settle();
    const [late] = await freshnessEvents(harness);
    expect(late).toMatchObject({ type: 'freshness.late', data: { lagMs: null, lastMaterializedAt: null } });
    expect(late!.message).toContain('never materialized');
    monitors[0]!.stop();
    await monitor().start();
    await settle();
    expect(await freshnessEvents(harness)).toHaveLength(1);
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]!.text).toContain('never been materialized');
  });

  it('two monitors racing on the same deadline (two servers) record one transition and send one alert', async () => {
    const daily = asset({
      key: 'gold/raced',
      freshness: deadline({ cron: '0 9 * * *', maxLag: '30m' }),
      materialize: () => 4,
    });
    const { harness, clock, monitor, alerts, settle } = await setup([daily], 'race');
    expect(await materialize(harness, 'gold/raced')).toBe('succeeded');
    await monitor().start();
    await monitor().start();
    advanceTo(clock, '2026-01-01T09:30:00Z');
    await settle();
    await Promise.all(monitors.map((m) => m.evaluate('gold/raced')));
    await settle();
    expect((await freshnessEvents(harness)).map((e) => e.type)).toEqual(['freshness.late']);
    expect(alerts()).toHaveLength(1);
  });

  it('a failed run sends one run.failed alert, however often its end is announced', async () => {
    const broken = asset({
      key: 'gold/broken',
      materialize: () => {
        throw new Error('warehouse refused the connection');
      },
    });
    const { harness, clock, dispatcher, alerts } = await setup([broken], 'run-failed');
    const unsubscribe = alertOnRunFailures({
      events: harness.engine,
      dataSource: harness.database.dataSource,
      clock,
      dispatch: (alert) => dispatcher.dispatch(alert),
      log: (line) => logs.push(line),
    });
    try {
      const run = await harness.engine.requestRun({ selection: 'gold/broken', trigger: 'manual' });
      expect((await harness.engine.waitForRun(run.id)).status).toBe('failed');
      harness.engine.emit('run-finished', run.id);
      harness.engine.emit('run-finished', run.id);
      // Deliveries start after a read of the run: wait for the first, then for all.
      for (let i = 0; i < 500 && alerts().length === 0; i++) await sleep(10);
      // The other two announcements read the run too; give them the time to (not) deliver.
      await sleep(200);
      await dispatcher.drain();
      expect(alerts()).toHaveLength(1);
      expect(alerts()[0]).toMatchObject({
        kind: 'run.failed',
        runId: run.id,
        assetKey: 'gold/broken',
        dedupKey: `run.failed:${run.id}`,
        details: { failedSteps: 'gold/broken', failedCount: 1 },
      });
      expect(alerts()[0]!.text).toMatch(/gold\/broken failed after 1 attempt\(s\): .*warehouse refused the connection/);
    } finally {
      unsubscribe();
    }
  });
});
