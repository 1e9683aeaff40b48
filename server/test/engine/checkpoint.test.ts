import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { asset } from '../../src/sdk/asset.js';
import type { AssetContext } from '../../src/sdk/context.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startEngine, waitFor, type EngineHarness } from '../support/engine-harness.js';

const PAGES = 6;
const FAIL_AFTER = 3;
const RETRY_ONCE = { maxAttempts: 2, delay: 0, jitter: 'none' } as const;

interface Row {
  readonly id: string;
  readonly page: number;
}

/** A local, deterministic paged source: page n holds three rows. */
const fetchPage = (page: number): Row[] => Array.from({ length: 3 }, (_, i) => ({ id: `row-p${page}-${i}`, page }));
const allRows = (): Row[] => Array.from({ length: PAGES }, (_, i) => fetchPage(i + 1)).flat();

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

async function materializeAll(harness: EngineHarness) {
  const run = await harness.engine.requestRun({ selection: '*', trigger: 'manual' });
  return harness.engine.waitForRun(run.id);
}

describe.each(STORAGE_BACKENDS)('checkpoints (%s)', (backend) => {
  let harness: EngineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  const query = <T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> =>
    harness!.database.dataSource.query(sql, params);

  it('lets a retried paging loop resume after the last page the failed attempt saved', async () => {
    const processed: Record<number, number[]> = {};
    const resumeSeen: Record<number, unknown> = {};
    const committedBeforeResolve: number[] = [];
    const pager = asset({
      key: 'ckpt/pages',
      retry: RETRY_ONCE,
      materialize: async (ctx) => {
        resumeSeen[ctx.attemptNumber] = ctx.resume;
        const done = ctx.resume as { page: number; rows: Row[] } | undefined;
        const rows = [...(done?.rows ?? [])];
        processed[ctx.attemptNumber] = [];
        for (let page = (done?.page ?? 0) + 1; page <= PAGES; page++) {
          rows.push(...fetchPage(page));
          processed[ctx.attemptNumber]!.push(page);
          await ctx.checkpoint({ page, rows });
          if (ctx.attemptNumber === 1 && page === 1) {
            // Durable once resolved: another connection already sees the row.
            const [row] = await query<{ n: string | number }>('SELECT count(*) AS n FROM checkpoints');
            committedBeforeResolve.push(Number(row!.n));
          }
          if (ctx.attemptNumber === 1 && page === FAIL_AFTER) throw new Error(`source hiccup after page ${page}`);
        }
        return rows;
      },
    });
    harness = await startEngine(backend, [pager], { manualClock: true });
    const final = await materializeAll(harness);

    expect(final.status).toBe('succeeded');
    expect(final.steps[0]!.attempts).toBe(2);
    expect(resumeSeen[1]).toBeUndefined();
    expect(resumeSeen[2]).toEqual({ page: FAIL_AFTER, rows: allRows().slice(0, FAIL_AFTER * 3) });
    expect(processed).toEqual({ 1: [1, 2, 3], 2: [4, 5, 6] });
    expect(committedBeforeResolve).toEqual([1]);

    const [materialization] = await query<{ output_inline: unknown }>('SELECT output_inline FROM materializations');
    expect(materialization!.output_inline).toEqual(allRows());

    // One row per page: k from the failed attempt, N − k from the retry, in page order.
    const perAttempt = await query<{ number: number; n: string | number }>(
      `SELECT a.number, count(*) AS n FROM checkpoints c JOIN attempts a ON a.id = c.attempt_id
        GROUP BY a.number ORDER BY a.number`,
    );
    expect(perAttempt.map((r) => [r.number, Number(r.n)])).toEqual([
      [1, FAIL_AFTER],
      [2, PAGES - FAIL_AFTER],
    ]);
    const states = await query<{ state_inline: { page: number }; state_ref: unknown }>(
      'SELECT state_inline, state_ref FROM checkpoints ORDER BY created_at',
    );
    expect(states.map((s) => s.state_inline.page)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(states.every((s) => s.state_ref === null)).toBe(true);

    const events = await harness.engine.runEvents(final.id);
    const checkpoints = events.filter((e) => e.type === 'step.checkpoint');
    expect(checkpoints.map((e) => e.message.replace(/\d+ bytes/, 'N bytes'))).toEqual([
      ...[1, 2, 3, 4, 5, 6].map((n) => `checkpoint ${n} saved (inline, N bytes)`),
    ]);
    // Numbers go on across attempts: the retry's first checkpoint is the 4th of the step.
    expect(checkpoints.map((e) => [e.data.attempt, e.data.checkpoint])).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
      [2, 4],
      [2, 5],
      [2, 6],
    ]);
    const firstSize = Buffer.byteLength(JSON.stringify({ page: 1, rows: fetchPage(1) }));
    expect(checkpoints[0]!.message).toBe(`checkpoint 1 saved (inline, ${firstSize} bytes)`);
    expect(checkpoints[0]!.data).toEqual({ checkpoint: 1, attempt: 1, size: firstSize, uri: null });
    // The state itself never reaches the event log.
    expect(JSON.stringify(events)).not.toContain('row-p1-0');
  });

  it('stores a state over the inline limit in the object store and reads it back on retry', async () => {
    const blob = 'x'.repeat(5000);
    let resumed: unknown;
    const big = asset({
      key: 'ckpt/big',
      retry: RETRY_ONCE,
      materialize: async (ctx) => {
        if (ctx.attemptNumber === 1) {
          await ctx.checkpoint({ page: 1, blob });
          await ctx.checkpoint({ page: 2, blob });
          throw new Error('fail after two large checkpoints');
        }
        resumed = ctx.resume;
        return (ctx.resume as { page: number }).page;
      },
    });
    harness = await startEngine(backend, [big], { manualClock: true, inlineLimit: 1024 });
    const final = await materializeAll(harness);

    expect(final.status).toBe('succeeded');
    expect(resumed).toEqual({ page: 2, blob });
    const rows = await query<{ state_inline: unknown; state_ref: { uri: string; size: number }; attempt_id: string }>(
      'SELECT state_inline, state_ref, attempt_id FROM checkpoints ORDER BY created_at',
    );
    const step = final.steps[0]!;
    const prefix = `runs/${final.id}/${step.id}/${rows[0]!.attempt_id}/checkpoints`;
    expect(rows).toHaveLength(2);
    for (const [i, row] of rows.entries()) {
      expect(row.state_inline).toBeNull();
      expect(row.state_ref.uri).toBe(harness.store.uriFor(`${prefix}/${i + 1}.json`));
      expect(row.state_ref.size).toBe(Buffer.byteLength(JSON.stringify({ page: i + 1, blob })));
      expect(row.state_ref.size).toBeGreaterThan(1024);
    }
    // Each checkpoint got its own immutable object; none was overwritten.
    expect(await harness.store.exists(`${prefix}/1.json`)).toBe(true);
    expect(await harness.store.exists(`${prefix}/2.json`)).toBe(true);
    const messages = (await harness.engine.runEvents(final.id))
      .filter((e) => e.type === 'step.checkpoint')
      .map((e) => e.message);
    expect(messages[1]).toBe(
      `checkpoint 2 saved (stored at ${rows[1]!.state_ref.uri}, ${rows[1]!.state_ref.size} bytes)`,
    );
  });

  it('rejects a checkpoint from an attempt that is no longer running, writing nothing', async () => {
    const checkpointed = deferred();
    const gate = deferred();
    const finished = deferred<Error[]>();
    const zombie = asset({
      key: 'ckpt/zombie',
      retry: { maxAttempts: 1 },
      materialize: async (ctx) => {
        await ctx.checkpoint({ page: 1 });
        checkpointed.resolve();
        await gate.promise;
        const errors = [
          await rejectionOf(ctx.checkpoint({ page: 2 })),
          await rejectionOf(ctx.checkpoint({ page: 2, blob: 'y'.repeat(5000) })),
        ];
        finished.resolve(errors);
        return 'too late';
      },
    });
    harness = await startEngine(backend, [zombie], { inlineLimit: 1024 });
    const run = await harness.engine.requestRun({ selection: '*', trigger: 'manual' });
    await checkpointed.promise;
    // What a restarted engine does with an attempt whose worker it believes dead.
    // As if this process's worker were dead: the reconciler records the attempt as lost.
    const report = await harness.engine.reconcile({ kind: 'not-this-worker', workerId: 'a-newer-process' }, 0);
    expect(report.lost).toBe(1);
    gate.resolve();
    const errors = await finished.promise;

    for (const error of errors) {
      expect(error.name).toBe('StaleAttemptError');
      expect(error.message).toBe(
        "ctx.checkpoint: attempt 1 of ckpt/zombie is no longer the step's running attempt (the attempt is lost); " +
          'the checkpoint was not saved',
      );
    }
    const states = await query<{ state_inline: unknown }>('SELECT state_inline FROM checkpoints');
    expect(states).toEqual([{ state_inline: { page: 1 } }]);
    const runsDir = join(harness.store.rootDir, 'runs');
    expect(await readdir(runsDir, { recursive: true }).catch(() => [])).not.toContainEqual(
      expect.stringContaining('checkpoints'),
    );
    const events = await harness.engine.runEvents(run.id);
    expect(events.filter((e) => e.type === 'step.checkpoint')).toHaveLength(1);
    await waitFor(async () => (await harness!.engine.getRun(run.id))!.steps[0]!.status === 'failed', 'step failed');
  });

  it('refuses a state that is not JSON-serializable, naming the culprit, and saves nothing', async () => {
    const errors: Error[] = [];
    const circular: Record<string, unknown> = { page: 1 };
    circular.self = circular;
    const picky = asset({
      key: 'ckpt/picky',
      materialize: async (ctx: AssetContext) => {
        errors.push(await rejectionOf(ctx.checkpoint({ cursor: 10n })));
        errors.push(await rejectionOf(ctx.checkpoint({ seen: new Set([1]) })));
        errors.push(await rejectionOf(ctx.checkpoint(circular)));
        errors.push(await rejectionOf(ctx.checkpoint(undefined)));
        return errors.length;
      },
    });
    harness = await startEngine(backend, [picky]);
    const final = await materializeAll(harness);

    expect(final.status).toBe('succeeded');
    expect(errors.map((e) => [e.name, e instanceof TypeError])).toEqual(
      Array.from({ length: 4 }, () => ['CheckpointStateError', true]),
    );
    expect(errors.map((e) => e.message)).toEqual([
      'ctx.checkpoint: the state is not JSON-serializable: $.cursor is a BigInt (JSON has no such numbers; convert it to a string or a number)',
      'ctx.checkpoint: the state is not JSON-serializable: $.seen is a Set (JSON would store it as {}; convert it with [...set])',
      'ctx.checkpoint: the state is not JSON-serializable: $.self is a circular reference back to $',
      'ctx.checkpoint: the state is not JSON-serializable: it is undefined (pass null to record "no progress")',
    ]);
    expect(await harness.count('checkpoints')).toBe(0);
    expect((await harness.engine.runEvents(final.id)).some((e) => e.type === 'step.checkpoint')).toBe(false);
  });

  it('saves un-awaited checkpoints in call order, each as it was when called', async () => {
    let resumed: unknown;
    const hasty = asset({
      key: 'ckpt/hasty',
      retry: RETRY_ONCE,
      materialize: async (ctx) => {
        if (ctx.attemptNumber === 2) {
          resumed = ctx.resume;
          return 'ok';
        }
        const state = { page: 0 };
        const saving: Promise<void>[] = [];
        for (let page = 1; page <= 5; page++) {
          state.page = page;
          saving.push(ctx.checkpoint(state));
        }
        state.page = 99;
        await Promise.all(saving);
        throw new Error('fail after five checkpoints');
      },
    });
    harness = await startEngine(backend, [hasty], { manualClock: true });
    expect((await materializeAll(harness)).status).toBe('succeeded');
    expect(resumed).toEqual({ page: 5 });
    const states = await query<{ state_inline: { page: number } }>(
      'SELECT state_inline FROM checkpoints ORDER BY created_at',
    );
    expect(states.map((s) => s.state_inline.page)).toEqual([1, 2, 3, 4, 5]);
  });

  it('resumes from the latest checkpoint of any earlier attempt, not only the previous one', async () => {
    const resumeSeen: unknown[] = [];
    const flaky = asset({
      key: 'ckpt/flaky',
      retry: { maxAttempts: 3, delay: 0, jitter: 'none' },
      materialize: async (ctx) => {
        resumeSeen.push(ctx.resume);
        if (ctx.attemptNumber === 1) {
          await ctx.checkpoint({ page: 2 });
          throw new Error('first failure');
        }
        // The second attempt fails before saving anything.
        if (ctx.attemptNumber === 2) throw new Error('second failure');
        return 'done';
      },
    });
    harness = await startEngine(backend, [flaky], { manualClock: true });
    expect((await materializeAll(harness)).status).toBe('succeeded');
    expect(resumeSeen).toEqual([undefined, { page: 2 }, { page: 2 }]);
  });
});
