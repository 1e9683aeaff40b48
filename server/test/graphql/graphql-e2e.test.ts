import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asset } from '../../src/sdk/asset.js';
import { startGraphQL, type GraphQLHarness } from '../support/graphql-harness.js';

// A large output (stored as an object-store URI) and a downstream that fails its first attempt.
let flakyCalls = 0;
const raw = asset({
  key: 'raw/events',
  materialize: (ctx) => {
    ctx.metadata({ rows: 2_000 });
    return Array.from({ length: 2_000 }, (_, i) => ({ id: i, name: `event-${i}` }));
  },
});
const daily = asset({
  key: 'gold/daily',
  deps: { raw },
  retry: { maxAttempts: 2, backoff: 'fixed', delay: '50ms', jitter: 'none' },
  materialize: (ctx, { raw: events }) => {
    ctx.log.info(`counting ${events.length} events`);
    if (++flakyCalls === 1) throw new Error('warehouse connection reset');
    return { count: events.length };
  },
});

// Held in its step until the test opens the gate, so its RUNNING status is observable.
let openGate: () => void = () => {};
const gated = asset({
  key: 'gated/asset',
  materialize: async () => {
    await new Promise<void>((resolve) => (openGate = resolve));
    return 1;
  },
});

interface RunEvent {
  id: string;
  type: string;
  stepId: string | null;
  assetKey: string | null;
  message: string;
}

describe('GraphQL end to end over HTTP and WebSocket (postgres)', () => {
  let h: GraphQLHarness;
  beforeAll(async () => {
    h = await startGraphQL('postgres', [raw, daily, gated], { inlineLimit: 1_024 });
  }, 60_000);
  afterAll(() => h?.close());

  it('materialize → the subscription streams step events → run detail shows attempts and URIs', async () => {
    const created = await h.gql<{ materialize: { id: string; status: string } }>(
      `mutation { materialize(selection: "gold/daily+, +gold/daily") { id status } }`,
      {},
      h.tokens.operator,
    );
    expect(created.errors).toBeUndefined();
    const runId = created.data!.materialize.id;

    // A real graphql-ws client: events replayed from the start of the run, then live ones.
    const client = h.ws(h.tokens.viewer);
    const received: RunEvent[] = [];
    const finished = new Promise<void>((resolve, reject) => {
      client.subscribe<{ runEvents: RunEvent }>(
        {
          query: `subscription($runId: String!) { runEvents(runId: $runId) { id type stepId assetKey message } }`,
          variables: { runId },
        },
        {
          next: (message) => {
            if (message.errors) reject(new Error(JSON.stringify(message.errors)));
            const event = message.data!.runEvents;
            received.push(event);
            if (/^run\.(succeeded|failed)$/.test(event.type)) resolve();
          },
          error: reject,
          complete: () => {},
        },
      );
    });
    await finished;

    const types = received.map((event) => event.type);
    expect(types[0]).toBe('run.created');
    expect(types).toContain('step.started');
    expect(types).toContain('step.retry_scheduled');
    expect(types.filter((type) => type === 'step.materialized')).toHaveLength(2);
    expect(types.at(-1)).toBe('run.succeeded');
    expect(received.some((event) => event.type === 'log' && event.message.includes('counting 2000 events'))).toBe(true);
    // Delivered once each, in id order.
    const ids = received.map((event) => BigInt(event.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);

    const detail = await h.gql<{
      run: {
        status: string;
        stepCounts: { total: number; succeeded: number };
        steps: Array<{
          assetKey: string;
          status: string;
          attemptCount: number;
          output: { uri: string | null; size: number; valueType: string; metadata: Record<string, number> } | null;
          attempts: Array<{
            number: number;
            status: string;
            errorMessage: string | null;
            retryDelayMs: number | null;
            workerId: string;
          }>;
        }>;
      };
    }>(
      `query($id: String!) { run(id: $id) { status stepCounts { total succeeded }
         steps { assetKey status attemptCount output { uri size valueType metadata }
                 attempts { number status errorMessage retryDelayMs workerId } } } }`,
      { id: runId.slice(0, 8) },
      h.tokens.viewer,
    );
    expect(detail.errors).toBeUndefined();
    const run = detail.data!.run;
    expect(run.status).toBe('SUCCEEDED');
    expect(run.stepCounts).toEqual({ total: 2, succeeded: 2 });
    const rawStep = run.steps.find((step) => step.assetKey === 'raw/events')!;
    // Store-relative: the server's filesystem path is nobody's business.
    expect(rawStep.output!.uri).toMatch(/^weir-store:\/\/runs\/.*\/output\.(json|bin)$/);
    expect(rawStep.output!.size).toBeGreaterThan(1_024);
    expect(rawStep.output!.metadata).toEqual({ rows: 2_000 });
    const dailyStep = run.steps.find((step) => step.assetKey === 'gold/daily')!;
    expect(dailyStep.attemptCount).toBe(2);
    expect(dailyStep.output!.uri).toBeNull(); // small: stored inline
    expect(dailyStep.attempts).toEqual([
      expect.objectContaining({
        number: 1,
        status: 'FAILED',
        errorMessage: 'warehouse connection reset',
        retryDelayMs: 50,
      }),
      expect.objectContaining({ number: 2, status: 'SUCCEEDED', errorMessage: null }),
    ]);
    expect(dailyStep.attempts[0]!.workerId).not.toBe('');
  });

  it('pushes the current status, then each change while a run progresses', async () => {
    const client = h.ws(h.tokens.viewer);
    const statuses: string[] = [];
    const waiters: Array<{ status: string; resolve: () => void }> = [];
    const seen = (status: string) =>
      new Promise<void>((resolve) => {
        if (statuses.includes(status)) resolve();
        else waiters.push({ status, resolve });
      });
    const stop = client.subscribe<{ assetStatusChanged: { assetKey: string; status: string } }>(
      { query: `subscription { assetStatusChanged(keys: ["gated/asset"]) { assetKey status } }` },
      {
        next: (message) => {
          const change = message.data!.assetStatusChanged;
          expect(change.assetKey).toBe('gated/asset');
          statuses.push(change.status);
          for (const waiter of waiters.filter((w) => w.status === change.status)) waiter.resolve();
        },
        error: (error) => statuses.push(`error: ${String(error)}`),
        complete: () => {},
      },
    );
    // The current status arrives first: the subscription is registered from here on.
    await seen('NEVER_MATERIALIZED');
    const created = await h.gql(`mutation { materialize(selection: "gated/asset") { id } }`, {}, h.tokens.operator);
    expect(created.errors).toBeUndefined();
    await seen('RUNNING'); // the step is held by the gate until now
    openGate();
    await seen('FRESH');
    stop();
    expect(statuses).toEqual(['NEVER_MATERIALIZED', 'RUNNING', 'FRESH']);
  });

  it('refuses a WebSocket connection without a valid token', async () => {
    const client = h.ws(h.tokens.revoked);
    const outcome = await new Promise<string>((resolve) => {
      client.subscribe(
        { query: `subscription { runsChanged { runId } }` },
        {
          next: () => resolve('data'),
          error: (error) => resolve(`error ${(error as { code?: number }).code ?? String(error)}`),
          complete: () => resolve('complete'),
        },
      );
    });
    expect(outcome).toMatch(/^error 4403/);
  });
});
