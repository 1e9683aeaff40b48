import { afterEach, describe, expect, it } from 'vitest';
import type { MaterializedEvent } from '../../src/engine/weir-engine.js';
import { asset, type AnyAsset } from '../../src/sdk/asset.js';
import { check } from '../../src/sdk/check.js';
import { multiAsset } from '../../src/sdk/multi-asset.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

/** raw → shop { orders, customers } → revenue (orders), crm (customers); records each call of shop. */
function project(options: { customersCheckFails?: boolean } = {}) {
  const calls: string[][] = [];
  const raw = asset({
    key: 'raw',
    materialize: () => [
      { id: 1, customer: 'ada', total: 5 },
      { id: 2, customer: 'bob', total: 7 },
    ],
  });
  const notEmpty = check(
    'not empty',
    (_ctx, names: unknown) => !options.customersCheckFails && Array.isArray(names) && names.length > 0,
  );
  const shop = multiAsset({
    name: 'shop',
    deps: { raw },
    outputs: {
      orders: { key: 'silver/orders' },
      customers: {
        key: 'silver/customers',
        checks: [notEmpty],
      },
    },
    materialize: (_ctx, { raw: rows }, wanted) => {
      calls.push([...wanted]);
      return {
        ...(wanted.includes('orders') ? { orders: rows.map((row) => ({ id: row.id, total: row.total })) } : {}),
        ...(wanted.includes('customers') ? { customers: rows.map((row) => row.customer) } : {}),
      };
    },
  });
  const revenue = asset({
    key: 'gold/revenue',
    deps: { orders: shop.outputs.orders },
    materialize: (_ctx, { orders }) => orders.reduce((sum, order) => sum + order.total, 0),
  });
  const crm = asset({
    key: 'gold/crm',
    deps: { customers: shop.outputs.customers },
    materialize: (_ctx, { customers }) => customers.map((name) => name.toUpperCase()),
  });
  return { assets: [raw, shop.outputs.orders, shop.outputs.customers, revenue, crm] as AnyAsset[], calls };
}

const statuses = (steps: ReadonlyArray<{ assetKey: string; status: string }>) =>
  Object.fromEntries(steps.map((s) => [s.assetKey, s.status]));

describe.each(STORAGE_BACKENDS)('multi-assets (%s)', (backend) => {
  let harness: EngineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function start(assets: readonly AnyAsset[]) {
    harness = await startEngine(backend, assets);
    const announced: MaterializedEvent[] = [];
    harness.engine.on('materialized', (event: MaterializedEvent) => announced.push(event));
    return { h: harness, announced };
  }

  async function latestValue(h: EngineHarness, key: string): Promise<unknown> {
    const rows: Array<{ output_inline: unknown }> = await h.database.dataSource.query(
      `SELECT output_inline FROM materializations WHERE asset_key = $1 ORDER BY created_at DESC LIMIT 1`,
      [key],
    );
    return rows[0]?.output_inline;
  }

  it('runs the function once for both outputs, stores each as its own materialization, feeds each downstream', async () => {
    const { assets, calls } = project();
    const { h, announced } = await start(assets);
    const final = await h.engine.waitForRun((await h.engine.requestRun({ selection: '*', trigger: 'manual' })).id);

    expect(final.status).toBe('succeeded');
    expect(calls).toEqual([['orders', 'customers']]);
    expect(statuses(final.steps)).toEqual({
      raw: 'succeeded',
      'silver/orders': 'succeeded',
      'silver/customers': 'succeeded',
      'gold/revenue': 'succeeded',
      'gold/crm': 'succeeded',
    });
    // One attempt for the one call; each output its own step, materialization and version.
    expect(await h.count('attempts', `step_id IN (SELECT id FROM steps WHERE asset_key LIKE 'silver/%')`)).toBe(1);
    expect(await h.count('materializations', `asset_key = 'silver/orders'`)).toBe(1);
    expect(await h.count('materializations', `asset_key = 'silver/customers'`)).toBe(1);
    const rows: Array<{ asset_key: string; step_id: string; data_version: string }> = await h.database.dataSource.query(
      `SELECT asset_key, step_id, data_version FROM materializations WHERE asset_key LIKE 'silver/%' ORDER BY asset_key`,
    );
    expect(new Set(rows.map((row) => row.step_id)).size).toBe(2);
    expect(rows[0]!.data_version).not.toBe(rows[1]!.data_version);
    expect(await latestValue(h, 'silver/customers')).toEqual(['ada', 'bob']);
    expect(await latestValue(h, 'gold/crm')).toEqual(['ADA', 'BOB']);
    expect(await latestValue(h, 'gold/revenue')).toBe(12);
    expect(announced.map((event) => event.assetKey).sort()).toEqual(
      ['gold/crm', 'gold/revenue', 'raw', 'silver/customers', 'silver/orders'].sort(),
    );
    const customers = final.steps.find((step) => step.assetKey === 'silver/customers')!;
    expect(customers.output).not.toBeNull();
  });

  it('a subset runs the function once for the wanted output and stores only it', async () => {
    const { assets, calls } = project();
    const { h } = await start(assets);
    await h.engine.waitForRun((await h.engine.requestRun({ selection: 'raw', trigger: 'manual' })).id);
    const final = await h.engine.waitForRun(
      (await h.engine.requestRun({ selection: 'silver/orders', trigger: 'manual' })).id,
    );

    expect(final.status).toBe('succeeded');
    expect(calls).toEqual([['orders']]);
    expect(await h.count('materializations', `asset_key = 'silver/orders'`)).toBe(1);
    expect(await h.count('materializations', `asset_key = 'silver/customers'`)).toBe(0);
  });

  it('a failing blocking check on one output fails its step and skips its downstream only', async () => {
    const { assets, calls } = project({ customersCheckFails: true });
    const { h, announced } = await start(assets);
    const final = await h.engine.waitForRun((await h.engine.requestRun({ selection: '*', trigger: 'manual' })).id);

    expect(final.status).toBe('failed');
    expect(calls).toEqual([['orders', 'customers']]);
    expect(statuses(final.steps)).toEqual({
      raw: 'succeeded',
      'silver/orders': 'succeeded',
      'silver/customers': 'failed',
      'gold/revenue': 'succeeded',
      'gold/crm': 'skipped',
    });
    const customers = final.steps.find((step) => step.assetKey === 'silver/customers')!;
    expect(customers.error).toBe("check 'not empty' failed");
    // Recorded (the data exists) but not announced, as for an ordinary asset.
    expect(await h.count('materializations', `asset_key = 'silver/customers'`)).toBe(1);
    expect(announced.map((event) => event.assetKey)).not.toContain('silver/customers');

    // Re-executing from the failure runs the customers output alone.
    const again = await h.engine.waitForRun((await h.engine.reexecute(final.id, 'from-failure')).id);
    expect(calls.at(-1)).toEqual(['customers']);
    expect(statuses(again.steps)['silver/customers']).toBe('failed');
  });

  it('a failing function fails the leading step and skips its sibling output and all downstream', async () => {
    const raw = asset({ key: 'raw', materialize: () => 1 });
    let calls = 0;
    const broken = multiAsset({
      name: 'broken',
      deps: { raw },
      outputs: { a: { key: 'a' }, b: { key: 'b' } },
      materialize: () => {
        calls += 1;
        throw new Error('boom');
      },
    });
    const { h } = await start([raw, broken.outputs.a, broken.outputs.b]);
    const final = await h.engine.waitForRun((await h.engine.requestRun({ selection: '*', trigger: 'manual' })).id);
    expect(final.status).toBe('failed');
    expect(calls).toBe(1);
    expect(statuses(final.steps)).toEqual({ raw: 'succeeded', a: 'failed', b: 'skipped' });
  });
});
