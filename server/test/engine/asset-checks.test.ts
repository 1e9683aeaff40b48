import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runSummary } from '../../src/cli/commands/materialize.command.js';
import type { MaterializedEvent } from '../../src/engine/weir-engine.js';
import { asset, type AnyAsset } from '../../src/sdk/asset.js';
import { check, type AssetCheck, type CheckContext, type CheckResult } from '../../src/sdk/check.js';
import { AssetDefinitionError } from '../../src/sdk/definition-error.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

interface Row {
  id: number | null;
  at: Date;
}

/** source → orders (checked) → report, plus audit beside orders; records which materialize ran. */
function pipeline(checks: ReadonlyArray<AssetCheck<Array<{ id: number | null; at: string }>>>) {
  const calls: string[] = [];
  const source = asset({
    key: 'source',
    materialize: async () => {
      calls.push('source');
      return [1, null, 3];
    },
  });
  const orders = asset({
    key: 'orders',
    deps: { source },
    // Retries are allowed: a blocked step must still not be retried.
    retry: { maxAttempts: 3, delay: '1ms', jitter: 'none' },
    materialize: async (_ctx, { source: ids }): Promise<Row[]> => {
      calls.push('orders');
      return ids.map((id) => ({ id, at: new Date('2025-01-02T03:04:05.000Z') }));
    },
    checks,
  });
  const report = asset({
    key: 'report',
    deps: { orders },
    materialize: async (_ctx, { orders: rows }) => {
      calls.push('report');
      return rows.length;
    },
  });
  const audit = asset({
    key: 'audit',
    deps: { source },
    materialize: async () => {
      calls.push('audit');
      return 'ok';
    },
  });
  return { assets: [source, orders, report, audit] as AnyAsset[], calls };
}

const noNullIds = (severity: 'warn' | 'error') =>
  check(
    'no null ids',
    (_ctx, rows: Array<{ id: number | null }>) => {
      const nulls = rows.filter((row) => row.id === null).length;
      return { passed: nulls === 0, message: `${nulls} null id(s)`, metadata: { nulls } };
    },
    { severity },
  );
const nonEmpty = check('non-empty', (_ctx, rows: unknown[]) => rows.length > 0);

interface CheckRow {
  check_name: string;
  severity: string;
  passed: boolean;
  message: string | null;
  metadata: Record<string, unknown>;
  asset_key: string;
  materialization_id: string;
}

async function checkRows(h: EngineHarness): Promise<CheckRow[]> {
  return h.database.dataSource.query(
    `SELECT c.check_name, c.severity, c.passed, c.message, c.metadata, c.asset_key, c.materialization_id
       FROM check_results c ORDER BY c.materialization_id, c.ordinal`,
  );
}

const statuses = (steps: ReadonlyArray<{ assetKey: string; status: string }>) =>
  Object.fromEntries(steps.map((s) => [s.assetKey, s.status]));

describe.each(STORAGE_BACKENDS)('asset checks (%s)', (backend) => {
  let harness: EngineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function runAll(assets: readonly AnyAsset[]) {
    harness = await startEngine(backend, assets);
    const announced: MaterializedEvent[] = [];
    harness.engine.on('materialized', (event: MaterializedEvent) => announced.push(event));
    const run = await harness.engine.requestRun({ selection: '*', trigger: 'manual' });
    const final = await harness.engine.waitForRun(run.id);
    const events = await harness.engine.runEvents(run.id);
    return { h: harness, final, events, announced };
  }

  it('a failing blocking check records the output and its results, fails the step and skips downstream', async () => {
    const { assets, calls } = pipeline([nonEmpty, noNullIds('error')]);
    const { h, final, events, announced } = await runAll(assets);

    expect(final.status).toBe('failed');
    expect(statuses(final.steps)).toEqual({
      source: 'succeeded',
      orders: 'failed',
      report: 'skipped',
      audit: 'succeeded',
    });
    expect(calls).not.toContain('report');
    expect(calls.filter((c) => c === 'orders')).toHaveLength(1); // not retried
    const orders = final.steps.find((s) => s.assetKey === 'orders')!;
    expect(orders.error).toBe("check 'no null ids' failed: 1 null id(s)");
    expect(orders.attempts).toBe(1);
    expect(orders.output).not.toBeNull();
    expect(orders.checks).toEqual([
      { name: 'non-empty', severity: 'error', passed: true, message: null },
      { name: 'no null ids', severity: 'error', passed: false, message: '1 null id(s)' },
    ]);
    expect(final.steps.find((s) => s.assetKey === 'report')!.error).toContain('upstream orders failed');

    // The data exists: the materialization is recorded, with its results, in one transaction.
    const [materialization] = await h.database.dataSource.query(
      `SELECT id, output_inline FROM materializations WHERE asset_key = 'orders'`,
    );
    expect(materialization.output_inline).toEqual([
      { id: 1, at: '2025-01-02T03:04:05.000Z' },
      { id: null, at: '2025-01-02T03:04:05.000Z' },
      { id: 3, at: '2025-01-02T03:04:05.000Z' },
    ]);
    const rows = await checkRows(h);
    expect(rows).toEqual([
      expect.objectContaining({ check_name: 'non-empty', severity: 'error', passed: true, message: null }),
      expect.objectContaining({
        check_name: 'no null ids',
        passed: false,
        message: '1 null id(s)',
        metadata: { nulls: 1 },
        materialization_id: materialization.id,
      }),
    ]);
    const [attempt] = await h.database.dataSource.query(
      `SELECT a.status, a.error_kind FROM attempts a JOIN steps s ON s.id = a.step_id WHERE s.asset_key = 'orders'`,
    );
    expect(attempt).toEqual({ status: 'failed', error_kind: 'check' });

    const failed = events.find((e) => e.type === 'check.failed')!;
    expect(failed).toMatchObject({
      level: 'error',
      assetKey: 'orders',
      message: "check 'no null ids' failed: 1 null id(s)",
    });
    expect(failed.data).toMatchObject({
      check: 'no null ids',
      severity: 'error',
      materializationId: materialization.id,
    });
    expect(events.find((e) => e.type === 'check.passed')).toMatchObject({ level: 'info', assetKey: 'orders' });
    expect(events.find((e) => e.type === 'step.failed' && e.assetKey === 'orders')).toMatchObject({ level: 'error' });
    expect(events.at(-1)!.type).toBe('run.failed');
    // Automation must not consume a blocked output.
    expect(announced.map((e) => e.assetKey).sort()).toEqual(['audit', 'source']);

    const summary = runSummary(final);
    expect(summary).toMatch(/output\s+checks\s+metadata/);
    expect(summary).toContain('1/2 ✗ no null ids');
  });

  it('a failing warn check is recorded and warned about, and downstream runs', async () => {
    const { assets, calls } = pipeline([noNullIds('warn')]);
    const { h, final, events } = await runAll(assets);

    expect(final.status).toBe('succeeded');
    expect(calls).toContain('report');
    const orders = final.steps.find((s) => s.assetKey === 'orders')!;
    expect(orders.checks).toEqual([{ name: 'no null ids', severity: 'warn', passed: false, message: '1 null id(s)' }]);
    expect(await checkRows(h)).toEqual([
      expect.objectContaining({ check_name: 'no null ids', severity: 'warn', passed: false }),
    ]);
    expect(events.find((e) => e.type === 'check.warned')).toMatchObject({
      level: 'warn',
      message: "check 'no null ids' warned: 1 null id(s)",
    });
    expect(events.some((e) => e.type === 'check.failed')).toBe(false);
  });

  it('a check that throws, or returns something else than a verdict, has failed', async () => {
    const throwing = check('throws', () => {
      throw new Error('lookup table missing');
    });
    const forgetful = check('forgot to return', (() => undefined) as unknown as () => CheckResult, {
      severity: 'warn',
    });
    const { assets, calls } = pipeline([forgetful, throwing]);
    const { h, final } = await runAll(assets);

    expect(final.status).toBe('failed');
    expect(calls).not.toContain('report');
    const orders = final.steps.find((s) => s.assetKey === 'orders')!;
    expect(orders.error).toBe("check 'throws' failed: lookup table missing");
    expect(orders.checks.map((c) => [c.name, c.passed])).toEqual([
      ['forgot to return', false],
      ['throws', false],
    ]);
    expect(orders.checks[0]!.message).toMatch(/returned undefined: return true\/false or \{ passed/);
    expect(await h.count('check_results', 'passed = false')).toBe(2);
  });

  it('records passing checks, which see the output as stored and the step context', async () => {
    const seen: Array<{ value: unknown; ctx: Partial<CheckContext> }> = [];
    const inspect = check('inspects', (ctx, rows: Array<{ id: number | null; at: string }>) => {
      seen.push({ value: rows, ctx: { assetKey: ctx.assetKey, runId: ctx.runId, partition: ctx.partition } });
      ctx.log.info('looked at the rows', { rows: rows.length });
      rows.length = 0; // a check that mutates its copy changes nothing that is stored
      return true;
    });
    const { assets, calls } = pipeline([inspect, nonEmpty]);
    const { h, final, events } = await runAll(assets);

    expect(final.status).toBe('succeeded');
    expect(calls).toContain('report');
    expect(seen).toEqual([
      {
        value: [],
        ctx: { assetKey: 'orders', runId: final.id, partition: undefined },
      },
    ]);
    expect(final.steps.find((s) => s.assetKey === 'report')!.output).toMatchObject({ valueType: 'json' });
    const [report] = await h.database.dataSource.query(
      `SELECT output_inline FROM materializations WHERE asset_key = 'report'`,
    );
    expect(report.output_inline).toBe(3);
    expect(final.steps.find((s) => s.assetKey === 'orders')!.checks).toEqual([
      { name: 'inspects', severity: 'error', passed: true, message: null },
      { name: 'non-empty', severity: 'error', passed: true, message: null },
    ]);
    expect(await h.count('check_results', 'passed')).toBe(2);
    expect(events.filter((e) => e.type === 'check.passed').map((e) => e.message)).toEqual([
      "check 'inspects' passed",
      "check 'non-empty' passed",
    ]);
    expect(events.some((e) => e.type === 'log' && e.message === 'looked at the rows')).toBe(true);
    expect(runSummary(final)).toContain('2/2 ✓');
    // Assets without checks show none.
    expect(final.steps.find((s) => s.assetKey === 'report')!.checks).toEqual([]);
  });

  it('gives each check of a stream output a fresh stream from the store', async () => {
    const read: string[] = [];
    const readAll = async (body: Readable) => {
      let text = '';
      for await (const chunk of body) text += (chunk as Buffer).toString('utf8');
      return text;
    };
    const lines = asset({
      key: 'lines',
      materialize: () => Readable.from(['a\n', 'b\n']),
      checks: [
        check('first line', async (_ctx, body: Readable) => {
          read.push(await readAll(body));
          return true;
        }),
        check('ignores the body', () => true),
        check('again', async (_ctx, body: Readable) => (await readAll(body)) === 'a\nb\n'),
      ],
    });
    const count = asset({
      key: 'count',
      deps: { lines },
      materialize: async (_ctx, inputs) => (await readAll(inputs.lines)).split('\n').length - 1,
    });
    const { h, final } = await runAll([lines, count]);
    expect(final.status).toBe('succeeded');
    expect(read).toEqual(['a\nb\n']);
    expect(final.steps.find((s) => s.assetKey === 'lines')!.checks.every((c) => c.passed)).toBe(true);
    const [row] = await h.database.dataSource.query(
      `SELECT output_inline FROM materializations WHERE asset_key = 'count'`,
    );
    expect(row.output_inline).toBe(2);
  });

  it('re-executing from a blocked step runs it and its downstream again', async () => {
    const state = { nullsAllowed: false };
    const flaky = check('no null ids', (_ctx, rows: Array<{ id: number | null }>) =>
      state.nullsAllowed ? true : rows.every((row) => row.id !== null),
    );
    const { assets, calls } = pipeline([flaky]);
    const { h, final } = await runAll(assets);
    expect(final.status).toBe('failed');
    expect(final.steps.find((s) => s.assetKey === 'orders')!.error).toBe("check 'no null ids' failed");

    state.nullsAllowed = true;
    calls.length = 0;
    const again = await h.engine.waitForRun((await h.engine.reexecute(final.id, 'from-failure')).id);
    expect(again.status).toBe('succeeded');
    expect(calls.sort()).toEqual(['orders', 'report']);
    expect(await h.count('materializations', `asset_key = 'orders'`)).toBe(2);
  });
});

describe('asset check definitions', () => {
  const materialize = () => [1];

  it('reject duplicate names, naming the asset and its file', () => {
    const define = () =>
      asset({ key: 'gold/dupes', materialize, checks: [check('same', () => true), check('same', () => false)] });
    expect(define).toThrow(AssetDefinitionError);
    expect(define).toThrow(/asset 'gold\/dupes' has invalid checks: two checks are named 'same'/);
    expect(define).toThrow(/gold\/dupes \(defined at .*asset-checks\.test\.ts:\d+\)/);
  });

  it('reject an unknown severity, naming the asset and its file', () => {
    const define = () =>
      asset({
        key: 'gold/severe',
        materialize,
        checks: [check('x', () => true, { severity: 'fatal' as 'error' })],
      });
    expect(define).toThrow(
      /asset 'gold\/severe' has invalid checks: check 'x' has severity "fatal": use 'warn' or 'error'/,
    );
    expect(define).toThrow(/gold\/severe \(defined at .*asset-checks\.test\.ts:\d+\)/);
  });

  it('reject what check() did not make, and nameless checks', () => {
    expect(() => asset({ key: 'gold/raw-fn', materialize, checks: [(() => true) as never] })).toThrow(
      /asset 'gold\/raw-fn' has invalid checks: checks\[0\] is not made by check\(name, fn, options\) \(got function\)/,
    );
    expect(() => asset({ key: 'gold/nameless', materialize, checks: [check('  ', () => true)] })).toThrow(
      /checks\[0\] needs a non-empty name/,
    );
    expect(() => asset({ key: 'gold/not-a-list', materialize, checks: check('x', () => true) as never })).toThrow(
      /checks must be a list/,
    );
  });

  it('default to blocking severity and appear in the definitions snapshot', async () => {
    const { AssetGraph } = await import('../../src/graph/asset-graph.js');
    const checked = asset({
      key: 'gold/checked',
      materialize,
      checks: [check('a', () => true), check('b', () => true, { severity: 'warn', description: 'soft' })],
    });
    expect(checked.checks.map((c) => c.severity)).toEqual(['error', 'warn']);
    const [snapshot] = AssetGraph.build([checked]).toSnapshot();
    expect(snapshot!.checks).toEqual([
      { name: 'a', severity: 'error', description: null },
      { name: 'b', severity: 'warn', description: 'soft' },
    ]);
  });
});
