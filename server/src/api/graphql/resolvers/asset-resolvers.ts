import { didYouMean } from '../../../graph/closest-key.js';
import { describePartitions } from '../../../partitions/partition-keys.js';
import { listAssetPartitions } from '../../../runs/partition-queries.js';
import { describeAutomation } from '../../read-models/describe-automation.js';
import type { AssetState } from '../../read-models/asset-states.js';
import {
  DECISION_COLUMNS,
  DECISION_TYPES,
  toAutomationDecision,
  type DecisionEventRow,
} from '../../read-models/decision-rows.js';
import { apiError } from '../api-errors.js';
import type { GraphQLContext } from '../graphql-context.js';
import { decodeCursor, encodeCursor, PAGE_MAXIMA, pageSize } from '../pagination.js';
import { MATERIALIZATION_COLUMNS, toMaterializationRow } from '../request-loaders.js';

/** The parent object of every Asset field: the key; fields read the loaded definitions. */
export interface AssetParent {
  readonly key: string;
}

interface AssetFilter {
  group?: string;
  tag?: string;
  owner?: string;
  status?: string[];
  stale?: boolean;
  late?: boolean;
  search?: string;
}

const definitionOf = (ctx: GraphQLContext, key: string) => ctx.services.engine.graph.get(key);
const stateOf = async (ctx: GraphQLContext, key: string): Promise<AssetState> =>
  (await ctx.loaders.assetStates()).get(key)!;

/** The keys passing a filter, in topological order. State-based filters load states once. */
async function filteredKeys(ctx: GraphQLContext, filter: AssetFilter | undefined): Promise<string[]> {
  const graph = ctx.services.engine.graph;
  let keys = [...graph.keys];
  if (!filter) return keys;
  const [tagName, tagValue] = filter.tag?.split('=', 2) ?? [];
  const search = filter.search?.toLowerCase();
  keys = keys.filter((key) => {
    const definition = graph.get(key);
    if (filter.group !== undefined && definition.group !== filter.group) return false;
    if (filter.owner !== undefined && !definition.owners.includes(filter.owner)) return false;
    if (tagName !== undefined) {
      if (!(tagName in definition.tags)) return false;
      if (tagValue !== undefined && definition.tags[tagName] !== tagValue) return false;
    }
    return search === undefined || key.toLowerCase().includes(search);
  });
  if (filter.status?.length || filter.stale !== undefined || filter.late !== undefined) {
    const states = await ctx.loaders.assetStates();
    keys = keys.filter((key) => {
      const state = states.get(key)!;
      if (filter.status?.length && !filter.status.includes(state.status)) return false;
      if (filter.stale !== undefined && state.stale !== filter.stale) return false;
      return filter.late === undefined || state.late === filter.late;
    });
  }
  return keys;
}

function assertKnown(ctx: GraphQLContext, key: string): void {
  const graph = ctx.services.engine.graph;
  if (!graph.has(key)) throw apiError('NOT_FOUND', `unknown asset '${key}'${didYouMean(key, graph.keys)}`, { key });
}

export const assetQueryResolvers = {
  assets: async (_: unknown, args: { filter?: AssetFilter }, ctx: GraphQLContext): Promise<AssetParent[]> =>
    (await filteredKeys(ctx, args.filter)).map((key) => ({ key })),

  asset: (_: unknown, args: { key: string }, ctx: GraphQLContext): AssetParent => {
    assertKnown(ctx, args.key);
    return { key: args.key };
  },

  assetGraph: async (_: unknown, args: { filter?: AssetFilter }, ctx: GraphQLContext) => {
    const graph = ctx.services.engine.graph;
    const keys = await filteredKeys(ctx, args.filter);
    const included = new Set(keys);
    const edges = keys.flatMap((to) =>
      graph
        .upstreamOf(to)
        .filter((from) => included.has(from))
        .map((from) => ({ from, to })),
    );
    return { hash: graph.hash, nodes: keys.map((key) => ({ key })), edges };
  },
};

export const assetFieldResolvers = {
  kind: (asset: AssetParent, _: unknown, ctx: GraphQLContext) => definitionOf(ctx, asset.key).kind,
  group: (asset: AssetParent, _: unknown, ctx: GraphQLContext) => definitionOf(ctx, asset.key).group,
  owners: (asset: AssetParent, _: unknown, ctx: GraphQLContext) => definitionOf(ctx, asset.key).owners,
  tags: (asset: AssetParent, _: unknown, ctx: GraphQLContext) =>
    Object.entries(definitionOf(ctx, asset.key).tags).map(([key, value]) => ({ key, value })),
  description: (asset: AssetParent, _: unknown, ctx: GraphQLContext) =>
    definitionOf(ctx, asset.key).description ?? null,
  codeVersion: (asset: AssetParent, _: unknown, ctx: GraphQLContext) => {
    const definition = definitionOf(ctx, asset.key);
    return definition.kind === 'asset' ? (definition.codeVersion ?? null) : null;
  },
  definedAt: (asset: AssetParent, _: unknown, ctx: GraphQLContext) => definitionOf(ctx, asset.key).definedAt,
  multiAsset: (asset: AssetParent, _: unknown, ctx: GraphQLContext) => {
    const definition = definitionOf(ctx, asset.key);
    return definition.kind === 'asset' ? (definition.multiAsset?.name ?? null) : null;
  },
  deps: (asset: AssetParent, _: unknown, ctx: GraphQLContext) => ctx.services.engine.graph.upstreamOf(asset.key),
  dependents: (asset: AssetParent, _: unknown, ctx: GraphQLContext) =>
    ctx.services.engine.graph.downstreamOf(asset.key),
  pool: (asset: AssetParent, _: unknown, ctx: GraphQLContext) => {
    const definition = definitionOf(ctx, asset.key);
    return definition.kind === 'asset' ? (definition.pool ?? null) : null;
  },
  automation: (asset: AssetParent, _: unknown, ctx: GraphQLContext) => {
    const definition = definitionOf(ctx, asset.key);
    return definition.kind === 'asset' && definition.automation ? describeAutomation(definition.automation) : null;
  },
  partitionsDefinition: (asset: AssetParent, _: unknown, ctx: GraphQLContext) => {
    const definition = ctx.services.engine.graph.partitionsOf(asset.key);
    return definition ? describePartitions(definition) : null;
  },
  status: async (asset: AssetParent, _: unknown, ctx: GraphQLContext) => (await stateOf(ctx, asset.key)).status,
  stale: async (asset: AssetParent, _: unknown, ctx: GraphQLContext) => (await stateOf(ctx, asset.key)).stale,
  staleReasons: async (asset: AssetParent, _: unknown, ctx: GraphQLContext) =>
    (await stateOf(ctx, asset.key)).staleReasons,
  running: async (asset: AssetParent, _: unknown, ctx: GraphQLContext) => (await stateOf(ctx, asset.key)).running,
  lastMaterialization: (asset: AssetParent, _: unknown, ctx: GraphQLContext) =>
    ctx.loaders.latestMaterializationByAsset.load(asset.key),

  materializations: async (
    asset: AssetParent,
    args: { first?: number; after?: string; partition?: string },
    ctx: GraphQLContext,
  ) => {
    const first = pageSize(args.first ?? 20);
    const after = decodeCursor(args.after);
    const params: unknown[] = [asset.key];
    let where = 'm.asset_key = $1';
    if (args.partition !== undefined && args.partition !== null) {
      params.push(args.partition);
      where += ` AND m.partition_key = $${params.length}`;
    }
    if (after) {
      params.push(after.at, after.id);
      where += ` AND (m.created_at, m.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    params.push(first + 1);
    const rows = (
      await ctx.services.engine.dataSource.query(
        `SELECT ${MATERIALIZATION_COLUMNS} FROM materializations m WHERE ${where}
          ORDER BY m.created_at DESC, m.id DESC LIMIT $${params.length}`,
        params,
      )
    ).map(toMaterializationRow);
    const nodes = rows.slice(0, first);
    const last = nodes.at(-1);
    return {
      nodes,
      pageInfo: {
        hasNextPage: rows.length > first,
        endCursor: last ? encodeCursor({ at: last.cursorAt, id: last.id }) : null,
      },
    };
  },

  metadataSeries: async (asset: AssetParent, args: { limit?: number }, ctx: GraphQLContext) => {
    const limit = pageSize(args.limit ?? 100, PAGE_MAXIMA['Asset.metadataSeries'], 'limit');
    const rows: Array<{ created_at: Date | string; run_id: string; metadata: Record<string, unknown> }> =
      await ctx.services.engine.dataSource.query(
        `SELECT created_at, run_id, metadata FROM materializations WHERE asset_key = $1 ORDER BY created_at DESC LIMIT $2`,
        [asset.key, limit],
      );
    const series = new Map<string, Array<{ at: Date; value: number; runId: string }>>();
    for (const row of rows.reverse()) {
      for (const [name, value] of Object.entries(row.metadata ?? {})) {
        if (typeof value !== 'number' || !Number.isFinite(value)) continue;
        series.set(name, [...(series.get(name) ?? []), { at: new Date(row.created_at), value, runId: row.run_id }]);
      }
    }
    return [...series].map(([name, points]) => ({ name, points }));
  },

  partitions: async (asset: AssetParent, _: unknown, ctx: GraphQLContext) => {
    const { engine } = ctx.services;
    if (!engine.graph.partitionsOf(asset.key)) return [];
    const view = await listAssetPartitions(engine.dataSource.manager, engine.graph, asset.key, engine.clock.now());
    const steps: Array<{ partition_key: string; status: string }> = await engine.dataSource.query(
      `SELECT DISTINCT ON (s.partition_key) s.partition_key, s.status FROM steps s
        WHERE s.asset_key = $1 ORDER BY s.partition_key, s.queued_at DESC NULLS LAST, s.started_at DESC NULLS LAST`,
      [asset.key],
    );
    const lastStep = new Map(steps.map((row) => [row.partition_key, row.status]));
    return view.partitions.map((partition) => {
      const step = lastStep.get(partition.key);
      const status = ['pending', 'queued', 'running', 'retry_scheduled'].includes(step ?? '')
        ? 'running'
        : step === 'failed'
          ? 'failed'
          : partition.materializedAt
            ? 'materialized'
            : 'missing';
      return {
        key: partition.key,
        status,
        materializedAt: partition.materializedAt,
        runId: partition.runId,
      };
    });
  },

  checks: async (asset: AssetParent, _: unknown, ctx: GraphQLContext) => {
    const definition = definitionOf(ctx, asset.key);
    if (definition.kind !== 'asset' || definition.checks.length === 0) return [];
    const rows: Array<Record<string, unknown>> = await ctx.services.engine.dataSource.query(
      `SELECT DISTINCT ON (check_name) check_name, severity, passed, message, metadata, created_at, run_id
         FROM check_results WHERE asset_key = $1 ORDER BY check_name, created_at DESC`,
      [asset.key],
    );
    const latest = new Map(rows.map((row) => [row.check_name as string, row]));
    return definition.checks.map((check) => {
      const row = latest.get(check.name);
      return {
        name: check.name,
        severity: check.severity,
        description: check.description ?? null,
        latest: row
          ? {
              checkName: check.name,
              severity: row.severity,
              passed: Boolean(row.passed),
              message: row.message ?? null,
              metadata: row.metadata ?? {},
              createdAt: new Date(row.created_at as string),
              runId: row.run_id ?? null,
            }
          : null,
      };
    });
  },

  freshness: async (asset: AssetParent, _: unknown, ctx: GraphQLContext) => {
    const views = (await stateOf(ctx, asset.key)).freshness;
    if (views.length === 0) return null;
    const rank = { fresh: 0, warning: 1, late: 2 } as const;
    const worst = views.reduce((a, b) => (rank[b.status] > rank[a.status] ? b : a));
    return { ...worst, partitionKey: worst.partitionKey || null };
  },

  freshnessHistory: async (asset: AssetParent, args: { first?: number }, ctx: GraphQLContext) => {
    const first = pageSize(args.first ?? 50, PAGE_MAXIMA['Asset.freshnessHistory']);
    const rows: Array<{
      id: string;
      created_at: Date | string;
      type: string;
      message: string;
      data: Record<string, unknown>;
    }> = await ctx.services.engine.dataSource.query(
      `SELECT id::text AS id, created_at, type, message, data FROM event_log
          WHERE asset_key = $1 AND type IN ('freshness.fresh', 'freshness.warning', 'freshness.late')
          ORDER BY event_log.id DESC LIMIT $2`,
      [asset.key, first],
    );
    return rows.map((row) => ({
      id: row.id,
      at: new Date(row.created_at),
      partitionKey: (row.data.partitionKey as string) || null,
      status: row.type.slice('freshness.'.length),
      message: row.message,
      lagMs: typeof row.data.lagMs === 'number' ? row.data.lagMs : null,
      missedDeadline: row.data.missedDeadline ?? null,
    }));
  },

  decisions: async (asset: AssetParent, args: { first?: number }, ctx: GraphQLContext) => {
    const first = pageSize(args.first ?? 50, PAGE_MAXIMA['Asset.decisions']);
    const rows: DecisionEventRow[] = await ctx.services.engine.dataSource.query(
      `SELECT ${DECISION_COLUMNS} FROM event_log
          WHERE asset_key = $1 AND type IN ${DECISION_TYPES} ORDER BY event_log.id DESC LIMIT $2`,
      [asset.key, first],
    );
    return rows.map(toAutomationDecision);
  },
};
