import { isRole, type Role } from '../../../auth/principal.js';
import { didYouMean } from '../../../graph/closest-key.js';
import type { RequestedPartitions } from '../../../runs/partition-plan.js';
import { apiError } from '../api-errors.js';
import { requireRole, type GraphQLContext } from '../graphql-context.js';
import { reportObservation } from '../../report-observation.js';
import { resolveRun } from './run-resolvers.js';

const MAX_SELECTION_LENGTH = 2_000;
const MAX_PARTITION_KEYS = 10_000;
const MAX_METADATA_BYTES = 64 * 1024;

function selectionArgument(selection: string): string {
  if (selection.trim() === '')
    throw apiError(
      'BAD_USER_INPUT',
      "selection is empty: give asset keys or terms such as '+gold/revenue' or 'group:silver'",
    );
  if (selection.length > MAX_SELECTION_LENGTH)
    throw apiError(
      'BAD_USER_INPUT',
      `selection is ${selection.length} characters long; the limit is ${MAX_SELECTION_LENGTH}`,
    );
  return selection;
}

function partitionsArgument(args: {
  partitions?: string[] | null;
  partitionRange?: { from: string; to: string } | null;
}): RequestedPartitions | undefined {
  if (args.partitions && args.partitionRange)
    throw apiError(
      'BAD_USER_INPUT',
      "give either 'partitions' (a list of keys) or 'partitionRange' ({ from, to }), not both",
    );
  if (args.partitions) {
    if (args.partitions.length === 0 || args.partitions.length > MAX_PARTITION_KEYS)
      throw apiError(
        'BAD_USER_INPUT',
        `'partitions' must list from 1 to ${MAX_PARTITION_KEYS} keys (got ${args.partitions.length})`,
      );
    const empty = args.partitions.findIndex((key) => key.trim() === '');
    if (empty >= 0) throw apiError('BAD_USER_INPUT', `'partitions' holds an empty key at position ${empty}`);
    return args.partitions;
  }
  return args.partitionRange ? { from: args.partitionRange.from, to: args.partitionRange.to } : undefined;
}

export const mutationResolvers = {
  materialize: async (
    _: unknown,
    args: {
      selection: string;
      partitions?: string[];
      partitionRange?: { from: string; to: string };
      config?: unknown;
    },
    ctx: GraphQLContext,
  ) => {
    requireRole(ctx, 'operator', 'materialize');
    const run = await ctx.services.engine.requestRun({
      selection: selectionArgument(args.selection),
      partitions: partitionsArgument(args),
      config: args.config ?? undefined,
      trigger: 'manual',
    });
    ctx.services.feed.wake();
    return ctx.loaders.runs.load(run.id);
  },

  backfill: async (
    _: unknown,
    args: {
      selection: string;
      partitions?: string[];
      partitionRange?: { from: string; to: string };
      maxConcurrentRuns?: number;
    },
    ctx: GraphQLContext,
  ) => {
    requireRole(ctx, 'operator', 'backfill');
    const { backfills } = ctx.services;
    if (!backfills)
      throw apiError('CONFLICT', 'this process does not run backfills: send the request to weir dev or weir server');
    const partitions = partitionsArgument(args);
    if (!partitions)
      throw apiError('BAD_USER_INPUT', "a backfill needs 'partitionRange' ({ from, to }) or 'partitions'");
    return backfills.create({
      selection: selectionArgument(args.selection),
      partitions,
      maxConcurrentRuns: args.maxConcurrentRuns ?? undefined,
    });
  },

  retryBackfill: async (_: unknown, args: { id: string }, ctx: GraphQLContext) => {
    requireRole(ctx, 'operator', 'retrying a backfill');
    const { backfills } = ctx.services;
    if (!backfills)
      throw apiError('CONFLICT', 'this process does not run backfills: send the request to weir dev or weir server');
    if (!/^[0-9a-f-]{36}$/i.test(args.id))
      throw apiError('BAD_USER_INPUT', `not a backfill id: ${JSON.stringify(args.id)}`);
    if (!(await backfills.get(args.id))) throw apiError('NOT_FOUND', `backfill ${args.id} not found`);
    return backfills.retryFailed(args.id);
  },

  reexecuteRun: async (_: unknown, args: { runId: string; mode?: 'from-failure' | 'all' }, ctx: GraphQLContext) => {
    requireRole(ctx, 'operator', 're-executing a run');
    const run = await resolveRun(ctx, args.runId);
    const created = await ctx.services.engine.reexecute(run.id, args.mode ?? 'from-failure');
    ctx.services.feed.wake();
    return ctx.loaders.runs.load(created.id);
  },

  cancelRun: async (_: unknown, args: { runId: string }, ctx: GraphQLContext) => {
    requireRole(ctx, 'operator', 'canceling a run');
    const run = await resolveRun(ctx, args.runId);
    await ctx.services.engine.cancel(run.id);
    ctx.loaders.runs.clear(run.id);
    ctx.services.feed.wake();
    return ctx.loaders.runs.load(run.id);
  },

  reportAssetEvent: async (
    _: unknown,
    args: { assetKey: string; partition?: string; dataVersion?: string; metadata?: unknown },
    ctx: GraphQLContext,
  ) => {
    requireRole(ctx, 'operator', 'reporting an asset event');
    const { engine, automation } = ctx.services;
    const graph = engine.graph;
    if (!graph.has(args.assetKey))
      throw apiError('NOT_FOUND', `unknown asset '${args.assetKey}'${didYouMean(args.assetKey, graph.keys)}`);
    const metadata = args.metadata ?? undefined;
    if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)))
      throw apiError('BAD_USER_INPUT', "'metadata' must be a JSON object");
    if (metadata && Buffer.byteLength(JSON.stringify(metadata)) > MAX_METADATA_BYTES)
      throw apiError('BAD_USER_INPUT', `'metadata' is larger than ${MAX_METADATA_BYTES} bytes`);
    const { observationId, runsRequested } = await reportObservation(engine, automation, {
      assetKey: args.assetKey,
      partition: args.partition ?? undefined,
      dataVersion: args.dataVersion ?? undefined,
      metadata: metadata as Record<string, unknown> | undefined,
    });
    ctx.services.feed.wake();
    const rows: Array<{ created_at: Date | string; partition_key: string; data_version: string | null }> =
      await engine.dataSource.query(`SELECT created_at, partition_key, data_version FROM observations WHERE id = $1`, [
        observationId,
      ]);
    return {
      id: observationId,
      assetKey: args.assetKey,
      partitionKey: rows[0]?.partition_key || null,
      dataVersion: rows[0]?.data_version ?? null,
      createdAt: new Date(rows[0]?.created_at ?? Date.now()),
      triggeredRunIds: runsRequested,
    };
  },

  addDynamicPartitions: async (_: unknown, args: { set: string; keys: string[] }, ctx: GraphQLContext) => {
    requireRole(ctx, 'operator', 'adding partitions');
    if (args.keys.length === 0 || args.keys.length > MAX_PARTITION_KEYS)
      throw apiError(
        'BAD_USER_INPUT',
        `'keys' must list from 1 to ${MAX_PARTITION_KEYS} partition keys (got ${args.keys.length})`,
      );
    return ctx.services.engine.addDynamicPartitions(args.set, args.keys);
  },

  createApiToken: async (_: unknown, args: { name: string; role: Role }, ctx: GraphQLContext) => {
    requireRole(ctx, 'admin', 'creating an API token');
    const name = args.name.trim();
    if (name === '' || name.length > 100)
      throw apiError('BAD_USER_INPUT', `a token name must have 1 to 100 characters (got ${name.length})`);
    if (!isRole(args.role)) throw apiError('BAD_USER_INPUT', `unknown role ${String(args.role)}`);
    return ctx.services.auth.createToken({ name, role: args.role });
  },

  revokeApiToken: async (_: unknown, args: { id: string }, ctx: GraphQLContext) => {
    requireRole(ctx, 'admin', 'revoking an API token');
    return ctx.services.auth.revokeToken(args.id);
  },
};
