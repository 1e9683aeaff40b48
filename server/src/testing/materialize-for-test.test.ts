import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset } from '../sdk/asset.js';
import { check } from '../sdk/check.js';
import { multiAsset } from '../sdk/multi-asset.js';
import { resource } from '../sdk/resource.js';
import { env } from '../sdk/resource-config.js';
import { dailyPartitions } from '../sdk/partitions.js';
import { sourceAsset } from '../sdk/source-asset.js';
import { materializeForTest, MaterializeForTestError } from './index.js';

const days = dailyPartitions({ start: '2026-01-01' });

const raw = asset({
  key: 'test/raw',
  partitions: days,
  materialize: async (ctx) => {
    ctx.log.info('making rows', { day: ctx.partition });
    await ctx.checkpoint({ page: 1 });
    return [{ day: ctx.partition!, n: 1, at: new Date('2026-01-01T00:00:00Z') }];
  },
  checks: [check('has rows', (_ctx, rows: Array<{ n: number }>) => rows.length > 0)],
});

const summed = asset({
  key: 'test/summed',
  deps: { raw },
  partitions: days,
  config: z.object({ factor: z.number().int().min(1).default(1) }),
  materialize: (ctx, { raw }) => {
    ctx.metadata({ rows: raw.length });
    return { total: raw.reduce((sum, row) => sum + row.n, 0) * ctx.config.factor, at: raw[0]!.at };
  },
});

const rollup = asset({
  key: 'test/rollup',
  deps: { raw },
  materialize: (_ctx, { raw }) => Object.keys(raw),
});

function weirTempDirs(): number {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('weir-test-')).length;
}

describe('materializeForTest', () => {
  it('runs the assets in dependency order with outputs as downstream assets read them', async () => {
    const before = weirTempDirs();
    const run = await materializeForTest([rollup, summed, raw], {
      partition: '2026-02-03',
      config: { 'test/summed': { factor: 3 } },
    });
    expect(run.of(raw).value).toEqual([{ day: '2026-02-03', n: 1, at: '2026-01-01T00:00:00.000Z' }]);
    expect(run.of(raw).checks).toEqual([
      { name: 'has rows', severity: 'error', passed: true, message: null, metadata: {} },
    ]);
    expect(run.of(raw).logs).toEqual([{ level: 'info', message: 'making rows', fields: { day: '2026-02-03' } }]);
    expect(run.of(raw).checkpoints).toEqual([{ page: 1 }]);
    expect(run.of(summed).value).toEqual({ total: 3, at: '2026-01-01T00:00:00.000Z' });
    expect(run.of(summed).metadata).toEqual({ rows: 1 });
    // An unpartitioned asset reads a partitioned upstream as a record by partition key.
    expect(run.of(rollup).value).toEqual(['2026-02-03']);
    expect(run.of(rollup).partition).toBeUndefined();
    expect(Object.keys(run.assets)[0]).toBe('test/raw');
    expect(Object.keys(run.assets).sort()).toEqual(['test/raw', 'test/rollup', 'test/summed']);
    expect(weirTempDirs()).toBeLessThanOrEqual(before);
  });

  it('takes upstreams that are not given from inputs, and resources given onto ctx.resources', async () => {
    const clockResource = resource({ key: 'clock', config: {}, create: () => ({ now: () => 'real time' }) });
    const withResource = asset({
      key: 'test/with_resource',
      deps: { raw, outside: sourceAsset({ key: 'test/outside' }) },
      resources: { clock: clockResource },
      materialize: (ctx, { raw, outside }) => ({
        days: Object.keys(raw),
        outside: outside ?? null,
        now: ctx.resources.clock.now(),
      }),
    });
    const run = await materializeForTest([withResource], {
      inputs: { 'test/raw': { '2026-01-05': [] } },
      resources: { clock: { now: () => 'noon' } },
    });
    expect(run.of(withResource).value).toEqual({ days: ['2026-01-05'], outside: null, now: 'noon' });
  });

  it('creates a resource not given from its definition once, shares it with checks, and disposes it', async () => {
    const events: string[] = [];
    process.env.WEIR_TEST_COUNTER_START = '40';
    const counter = resource({
      key: 'counter',
      config: { start: env('WEIR_TEST_COUNTER_START') },
      create: (config) => {
        events.push('create');
        let n = Number(config.start);
        return { next: () => ++n };
      },
      dispose: () => void events.push('dispose'),
    });
    const first = asset({
      key: 'test/first',
      resources: { counter },
      materialize: (ctx) => ctx.resources.counter.next(),
    });
    const second = asset({
      key: 'test/second',
      deps: { first },
      resources: { counter },
      materialize: (ctx) => ctx.resources.counter.next(),
      checks: [check('shared', (ctx) => ctx.resources.c.next() === 43, { resources: { c: counter } })],
    });
    try {
      const run = await materializeForTest([first, second]);
      expect([run.of(first).value, run.of(second).value]).toEqual([41, 42]);
      expect(run.of(second).checks.map((c) => c.passed)).toEqual([true]);
      expect(events).toEqual(['create', 'dispose']);
      delete process.env.WEIR_TEST_COUNTER_START;
      const error = await materializeForTest([first]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MaterializeForTestError);
      expect((error as Error).message).toMatch(/test\/first.*resource "counter".*WEIR_TEST_COUNTER_START/);
    } finally {
      delete process.env.WEIR_TEST_COUNTER_START;
    }
  });

  it("runs a multi-asset's outputs with the multi-asset's resources, each asked for itself", async () => {
    const asked: string[][] = [];
    const prefix = resource({ key: 'prefix', config: {}, create: () => 'shop:' });
    const shop = multiAsset({
      name: 'shop',
      resources: { prefix },
      outputs: { orders: { key: 'test/orders' }, customers: { key: 'test/customers' } },
      materialize: (ctx, _inputs, wanted) => {
        asked.push([...wanted]);
        return Object.fromEntries(wanted.map((name) => [name, `${ctx.resources.prefix}${name}`]));
      },
    });
    const run = await materializeForTest([shop.outputs.orders, shop.outputs.customers]);
    expect([run.of(shop.outputs.orders).value, run.of(shop.outputs.customers).value]).toEqual([
      'shop:orders',
      'shop:customers',
    ]);
    // In a test each output runs alone, so the function is asked for that output only.
    expect(asked).toEqual([['orders'], ['customers']]);
  });

  it('reads stream outputs into a Buffer and gives the bytes of files written with ctx.store', async () => {
    const streamed = asset({
      key: 'test/streamed',
      materialize: () => Readable.from([Buffer.from('ab'), Buffer.from('c')]),
    });
    const written = asset({
      key: 'test/written',
      materialize: (ctx) => ctx.store.write('out.csv', 'a,b\n1,2\n'),
    });
    const run = await materializeForTest([streamed, written]);
    expect(run.of(streamed).value.toString()).toBe('abc');
    expect(run.of(written).value.contentType).toBe('text/csv');
    expect(run.of(written).bytes?.toString()).toBe('a,b\n1,2\n');
  });

  it('runs external processes with ctx.exec, collecting their lines and reports', async () => {
    const external = asset({
      key: 'test/external',
      materialize: async (ctx) => {
        const script =
          "console.log('hello'); require('fs').writeSync(3, JSON.stringify({ type: 'metadata', values: { rows: 7 } }) + '\\n')";
        const { metadata } = await ctx.exec(process.execPath, ['-e', script]);
        return metadata;
      },
    });
    const run = await materializeForTest([external]);
    expect(run.of(external).logs.map((line) => line.message)).toContain('hello');
    expect(run.of(external).metadata).toMatchObject({ rows: 7 });
  });

  it('refuses a bad config, naming the asset and the field', async () => {
    const error = await materializeForTest([raw, summed], {
      partition: '2026-02-03',
      config: { 'test/summed': { factor: 0 } },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MaterializeForTestError);
    expect((error as MaterializeForTestError).assetKey).toBe('test/summed');
    expect((error as Error).message).toMatch(/asset 'test\/summed' is invalid: factor: /);
    await expect(materializeForTest([raw], { partition: '2026-02-03', config: { 'test/nope': {} } })).rejects.toThrow(
      /config names asset 'test\/nope', which is not among the assets given/,
    );
  });

  it("names the asset whose materialize throws and keeps the user's error as the cause", async () => {
    const cause = new Error('the API said no');
    const failing = asset({
      key: 'test/failing',
      materialize: () => {
        throw cause;
      },
    });
    const error = (await materializeForTest([failing]).catch((caught: unknown) => caught)) as MaterializeForTestError;
    expect(error).toBeInstanceOf(MaterializeForTestError);
    expect(error.message).toBe("asset 'test/failing' failed: the API said no");
    expect(error.assetKey).toBe('test/failing');
    expect(error.cause).toBe(cause);
  });

  it('names the asset and the input that is missing', async () => {
    await expect(materializeForTest([summed], { partition: '2026-02-03' })).rejects.toThrow(
      "asset 'test/summed' reads input 'raw' from 'test/raw', which is neither among the assets given nor in options.inputs",
    );
  });

  it('asks for a partition for partitioned assets', async () => {
    await expect(materializeForTest([raw])).rejects.toThrow(/asset 'test\/raw' is partitioned: pass the partition/);
  });

  it('fails on a failed error check, naming the asset and the check', async () => {
    const empty = asset({
      key: 'test/empty',
      materialize: (): number[] => [],
      checks: [
        check('not empty', (_ctx, rows: number[]) => ({ passed: rows.length > 0, message: 'no rows' })),
        check('soft', (_ctx, _rows: number[]) => false, { severity: 'warn' }),
      ],
    });
    const error = (await materializeForTest([empty]).catch((caught: unknown) => caught)) as MaterializeForTestError;
    expect(error.message).toBe("asset 'test/empty': check 'not empty' failed: no rows");
    expect(error.result?.value).toEqual([]);
    expect(error.result?.checks.map((c) => [c.name, c.passed])).toEqual([
      ['not empty', false],
      ['soft', false],
    ]);
  });
});
