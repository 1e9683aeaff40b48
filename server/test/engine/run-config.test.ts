import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { planSteps } from '../../src/runs/run-planner.js';
import { asset } from '../../src/sdk/asset.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startGraphQL, type GraphQLHarness } from '../support/graphql-harness.js';

/** `ingest` (configurable, fails while `broken`) → `report` (configurable) ; `plain` takes none. */
function project() {
  const seen: Array<{ key: string; attempt: number; config: unknown }> = [];
  const state = { broken: false, failFirstAttempt: false };
  const ingest = asset({
    key: 'cfg/ingest',
    config: z.object({
      sampleSize: z.number().int().min(1).default(100),
      window: z.object({ days: z.number().int().positive() }),
    }),
    retry: { maxAttempts: 2, backoff: 'fixed', delay: '10ms' },
    materialize: (ctx) => {
      seen.push({ key: ctx.assetKey, attempt: ctx.attemptNumber, config: ctx.config });
      if (state.failFirstAttempt && ctx.attemptNumber === 1) throw new Error('transient (simulated)');
      return { rows: ctx.config.sampleSize * ctx.config.window.days };
    },
  });
  const report = asset({
    key: 'cfg/report',
    deps: { ingest },
    config: z.object({ title: z.string().min(1) }),
    materialize: (ctx, { ingest: input }) => {
      seen.push({ key: ctx.assetKey, attempt: ctx.attemptNumber, config: ctx.config });
      if (state.broken) throw new Error('report broken (simulated)');
      return `${ctx.config.title}: ${input.rows}`;
    },
  });
  const plain = asset({
    key: 'cfg/plain',
    materialize: (ctx) => {
      seen.push({ key: ctx.assetKey, attempt: ctx.attemptNumber, config: ctx.config });
      return 1;
    },
  });
  return { assets: [ingest, report, plain], seen, state };
}

const MATERIALIZE = `mutation ($selection: String!, $config: JSON) {
  materialize(selection: $selection, config: $config) { id config }
}`;

describe.each(STORAGE_BACKENDS)('run config (%s)', (backend) => {
  let api: GraphQLHarness;
  const { assets, seen, state } = project();
  const runCount = () => api.engine.count('runs');
  const rest = (body: unknown) =>
    fetch(`${api.url}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api.tokens.operator}` },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    api = await startGraphQL(backend, assets);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('hands each asset its parsed config (defaults filled in), stores it with the run, and retries see it', async () => {
    seen.length = 0;
    state.failFirstAttempt = true;
    const config = { 'cfg/ingest': { window: { days: 3 } }, 'cfg/report': { title: 'Weekly' } };
    const run = await api.engine.engine.requestRun({ selection: 'cfg/ingest+', trigger: 'manual', config });
    const final = await api.engine.engine.waitForRun(run.id);
    state.failFirstAttempt = false;
    expect(final.status).toBe('succeeded');
    expect(seen).toEqual([
      { key: 'cfg/ingest', attempt: 1, config: { sampleSize: 100, window: { days: 3 } } },
      { key: 'cfg/ingest', attempt: 2, config: { sampleSize: 100, window: { days: 3 } } },
      { key: 'cfg/report', attempt: 1, config: { title: 'Weekly' } },
    ]);
    // Stored as given, in the run row.
    const [row] = await api.engine.database.dataSource.query(`SELECT config FROM runs WHERE id = $1`, [run.id]);
    expect(row.config).toEqual(config);
    expect(final.config).toEqual(config);
  });

  it('an asset without a schema gets undefined, and a run without config stores null', async () => {
    seen.length = 0;
    const final = await api.engine.engine.waitForRun(
      (await api.engine.engine.requestRun({ selection: 'cfg/plain', trigger: 'manual' })).id,
    );
    expect(final.status).toBe('succeeded');
    expect(seen).toEqual([{ key: 'cfg/plain', attempt: 1, config: undefined }]);
    expect(final.config).toBeNull();
  });

  it('refuses an invalid config naming the asset and every bad field, and writes no run', async () => {
    const before = await runCount();
    const bad = { 'cfg/ingest': { sampleSize: 0, window: { days: 'three' } } };
    await expect(
      api.engine.engine.requestRun({ selection: 'cfg/ingest', trigger: 'manual', config: bad }),
    ).rejects.toThrow(
      /run config of asset 'cfg\/ingest' is invalid: sampleSize: .*>=1.*; window\.days: .*expected number/,
    );
    // A required field missing is refused too, though no config was given at all.
    await expect(api.engine.engine.requestRun({ selection: 'cfg/report', trigger: 'manual' })).rejects.toThrow(
      /asset 'cfg\/report' is invalid: title: .*expected string/,
    );
    await expect(
      api.engine.engine.requestRun({ selection: 'cfg/ingest', trigger: 'manual', config: { 'cfg/ingset': {} } }),
    ).rejects.toThrow(/'cfg\/ingset', which is not an asset of this run \(did you mean 'cfg\/ingest'\?\)/);
    await expect(
      api.engine.engine.requestRun({ selection: 'cfg/plain', trigger: 'manual', config: { 'cfg/plain': { a: 1 } } }),
    ).rejects.toThrow(/'cfg\/plain', which declares no config schema/);
    await expect(
      api.engine.engine.requestRun({ selection: 'cfg/plain', trigger: 'manual', config: [1] }),
    ).rejects.toThrow(/must be a JSON object keyed by asset key.*got an array/);
    expect(await runCount()).toBe(before);
  });

  it('GraphQL: materialize(config:) launches with it; a bad value is BAD_USER_INPUT naming the field, with no run row', async () => {
    const ok = await api.gql<{ materialize: { id: string; config: unknown } }>(
      MATERIALIZE,
      { selection: 'cfg/ingest', config: { 'cfg/ingest': { sampleSize: 2, window: { days: 1 } } } },
      api.tokens.operator,
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.materialize.config).toEqual({ 'cfg/ingest': { sampleSize: 2, window: { days: 1 } } });
    expect((await api.engine.engine.waitForRun(ok.data!.materialize.id)).status).toBe('succeeded');

    const before = await runCount();
    const bad = await api.gql(
      MATERIALIZE,
      { selection: 'cfg/ingest', config: { 'cfg/ingest': { window: { days: -1 } } } },
      api.tokens.operator,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toMatch(/asset 'cfg\/ingest' is invalid: window\.days: /);
    expect(await runCount()).toBe(before);
  });

  it('GraphQL: runConfigSchemas gives the JSON Schema of each configurable asset of a selection', async () => {
    const result = await api.gql<{
      runConfigSchemas: Array<{ assetKey: string; jsonSchema: Record<string, unknown> }>;
    }>(`{ runConfigSchemas(selection: "*") { assetKey jsonSchema } }`, {}, api.tokens.viewer);
    expect(result.errors).toBeUndefined();
    const schemas = Object.fromEntries(result.data!.runConfigSchemas.map((s) => [s.assetKey, s.jsonSchema]));
    expect(Object.keys(schemas).sort()).toEqual(['cfg/ingest', 'cfg/report']);
    expect(schemas['cfg/ingest']).toMatchObject({
      type: 'object',
      properties: { sampleSize: { type: 'integer', minimum: 1, default: 100 }, window: { type: 'object' } },
      required: ['window'],
    });
  });

  it('REST: POST /api/runs takes config; a bad value is a 400 naming the field, with no run row', async () => {
    const ok = await rest({ selection: 'cfg/report', config: { 'cfg/report': { title: 'From REST' } } });
    expect(ok.status).toBe(201);
    const run = (await ok.json()) as { id: string; config: unknown };
    expect(run.config).toEqual({ 'cfg/report': { title: 'From REST' } });
    expect((await api.engine.engine.waitForRun(run.id)).status).toBe('succeeded');

    const before = await runCount();
    const bad = await rest({ selection: 'cfg/report', config: { 'cfg/report': { title: '' } } });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: string; message: string };
    expect(body.error).toBe('RunConfigError');
    expect(body.message).toMatch(/asset 'cfg\/report' is invalid: title: .*>=1/);
    expect(await runCount()).toBe(before);
  });

  it('re-execution reuses the parent run config, for the failed steps it runs again', async () => {
    seen.length = 0;
    state.broken = true;
    const config = { 'cfg/ingest': { sampleSize: 7, window: { days: 2 } }, 'cfg/report': { title: 'Again' } };
    const first = await api.engine.engine.waitForRun(
      (await api.engine.engine.requestRun({ selection: 'cfg/ingest+', trigger: 'manual', config })).id,
    );
    expect(first.status).toBe('failed');
    state.broken = false;
    seen.length = 0;
    const again = await api.engine.engine.waitForRun((await api.engine.engine.reexecute(first.id, 'from-failure')).id);
    expect(again.status).toBe('succeeded');
    expect(seen).toEqual([{ key: 'cfg/report', attempt: 1, config: { title: 'Again' } }]);
    expect(again.config).toEqual(config);
    const all = await api.engine.engine.waitForRun((await api.engine.engine.reexecute(first.id, 'all')).id);
    expect(all.config).toEqual(config);
    const [row] = await api.engine.database.dataSource.query(`SELECT config FROM runs WHERE id = $1`, [all.id]);
    expect(row.config).toEqual(config);
  });

  it('a run planned without config (as automation plans) fails the attempt for good, naming the asset and field', async () => {
    seen.length = 0;
    const engine = api.engine.engine;
    // Automation plans with planSteps, which takes the config as given (none here).
    const run = await planSteps(
      api.engine.database.dataSource,
      engine.graph,
      await engine.currentSnapshotId(),
      { selection: 'cfg/ingest', trigger: 'automation' },
      [{ assetKey: 'cfg/ingest', partitionKey: '' }],
      new Map(),
    );
    await engine.startPlannedRun(run.id);
    const final = await engine.waitForRun(run.id);
    expect(final.status).toBe('failed');
    // Not retried (maxAttempts is 2): the same config would fail the same way.
    expect(final.steps[0]!.attempts).toBe(1);
    expect(final.steps[0]!.error).toMatch(/run config of asset 'cfg\/ingest' is invalid: window: /);
    expect(seen).toEqual([]);
  });
});
