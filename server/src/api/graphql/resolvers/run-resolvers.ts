import { listRunEvents, type EventView } from '../../../storage/event-log.js';
import { apiError } from '../api-errors.js';
import type { GraphQLContext } from '../graphql-context.js';
import { decodeCursor, encodeCursor, PAGE_MAXIMA, pageSize } from '../pagination.js';
import type { StepRow } from '../request-loaders.js';
import { listRunsPage, type RunFilter } from '../../read-models/run-list.js';
import type { RunRow } from '../../read-models/run-rows.js';
import { publicEvent, storeRelativeUri } from '../../store-relative-uri.js';

const ENDED_RUN = new Set(['succeeded', 'failed', 'canceled']);
const STEP_STATUS_FIELDS: Record<string, string> = {
  pending: 'pending',
  queued: 'queued',
  running: 'running',
  retry_scheduled: 'retryScheduled',
  succeeded: 'succeeded',
  failed: 'failed',
  skipped: 'skipped',
  canceled: 'canceled',
};

/** The run's id from an id or unique prefix, or NOT_FOUND. */
export async function resolveRun(ctx: GraphQLContext, idOrPrefix: string): Promise<RunRow> {
  const id = await ctx.services.engine.resolveRunId(idOrPrefix.trim());
  const run = id ? await ctx.loaders.runs.load(id) : null;
  if (!run)
    throw apiError('NOT_FOUND', `no run matches '${idOrPrefix}' (give the id or a unique prefix of it)`, {
      runId: idOrPrefix,
    });
  return run;
}

function runEvents(ctx: GraphQLContext, runId: string, args: { after?: string; first?: number; types?: string[] }) {
  const first = pageSize(args.first ?? 500, PAGE_MAXIMA['Run.events']);
  if (args.after !== undefined && args.after !== null && !/^\d{1,19}$/.test(args.after))
    throw apiError('BAD_USER_INPUT', `'after' must be an event id (digits), got ${JSON.stringify(args.after)}`);
  return listRunEvents(ctx.services.engine.dataSource.manager, runId, args.after ?? undefined, first, args.types);
}

export const runQueryResolvers = {
  runs: async (
    _: unknown,
    args: { filter?: RunFilter & { createdAfter?: Date; createdBefore?: Date }; first?: number; after?: string },
    ctx: GraphQLContext,
  ) => {
    const first = pageSize(args.first ?? 20);
    const page = await listRunsPage(
      ctx.services.engine.dataSource.manager,
      args.filter ?? {},
      first,
      decodeCursor(args.after),
    );
    for (const run of page.rows) ctx.loaders.runs.prime(run.id, run);
    const last = page.rows.at(-1);
    return {
      nodes: page.rows,
      pageInfo: {
        hasNextPage: page.hasNextPage,
        endCursor: last ? encodeCursor({ at: last.cursorAt, id: last.id }) : null,
      },
    };
  },
  run: (_: unknown, args: { id: string }, ctx: GraphQLContext) => resolveRun(ctx, args.id),
};

export const runFieldResolvers = {
  backfillId: (run: RunRow, _: unknown, ctx: GraphQLContext) => ctx.loaders.backfillByRun.load(run.id),
  steps: (run: RunRow, _: unknown, ctx: GraphQLContext) => ctx.loaders.stepsByRun.load(run.id),
  assetKeys: async (run: RunRow, _: unknown, ctx: GraphQLContext) => [
    ...new Set((await ctx.loaders.stepsByRun.load(run.id)).map((step) => step.assetKey)),
  ],
  stepCounts: async (run: RunRow, _: unknown, ctx: GraphQLContext) => {
    const counts: Record<string, number> = {
      total: 0,
      ...Object.fromEntries(Object.values(STEP_STATUS_FIELDS).map((f) => [f, 0])),
    };
    for (const step of await ctx.loaders.stepsByRun.load(run.id)) {
      counts.total! += 1;
      const field = STEP_STATUS_FIELDS[step.status];
      if (field) counts[field]! += 1;
    }
    return counts;
  },
  events: (run: RunRow, args: { after?: string; first?: number; types?: string[] }, ctx: GraphQLContext) =>
    runEvents(ctx, run.id, args),
  logs: (run: RunRow, args: { after?: string; first?: number }, ctx: GraphQLContext) =>
    runEvents(ctx, run.id, { ...args, types: ['log'] }),
  canReexecute: (run: RunRow) => run.status === 'failed' || run.status === 'canceled',
  canCancel: (run: RunRow) => !ENDED_RUN.has(run.status) && run.status !== 'canceling',
};

export const stepFieldResolvers = {
  attempts: (step: StepRow, _: unknown, ctx: GraphQLContext) => ctx.loaders.attemptsByStep.load(step.id),
  checkpoints: (step: StepRow, _: unknown, ctx: GraphQLContext) => ctx.loaders.checkpointsByStep.load(step.id),
  output: async (step: StepRow, _: unknown, ctx: GraphQLContext) => {
    // A re-executed step shows the output it reused; its own run produced none.
    const materialization = step.reusedMaterializationId
      ? await ctx.loaders.materializationById.load(step.reusedMaterializationId)
      : await ctx.loaders.materializationByStep.load(step.id);
    return materialization?.output ?? null;
  },
  checks: async (step: StepRow, _: unknown, ctx: GraphQLContext) => {
    const materialization = step.reusedMaterializationId
      ? await ctx.loaders.materializationById.load(step.reusedMaterializationId)
      : await ctx.loaders.materializationByStep.load(step.id);
    return materialization ? ctx.loaders.checksByMaterialization.load(materialization.id) : [];
  },
};

/** Events are EventViews: the schema calls their timestamp `at`; payload URIs are store-relative. */
export const runEventFieldResolvers = {
  at: (event: EventView) => event.createdAt,
  message: (event: EventView, _: unknown, ctx: GraphQLContext) =>
    publicEvent(event, ctx.services.engine.objectStore).message,
  data: (event: EventView, _: unknown, ctx: GraphQLContext) => publicEvent(event, ctx.services.engine.objectStore).data,
};

/** Where an output or checkpoint is stored, as its key in the store (never a server path). */
const storeRelative = (stored: { uri: string | null }, _: unknown, ctx: GraphQLContext) =>
  storeRelativeUri(stored.uri, ctx.services.engine.objectStore);

export const outputFieldResolvers = { uri: storeRelative };
export const checkpointFieldResolvers = { uri: storeRelative };

export const materializationFieldResolvers = {
  checks: (materialization: { id: string }, _: unknown, ctx: GraphQLContext) =>
    ctx.loaders.checksByMaterialization.load(materialization.id),
};
