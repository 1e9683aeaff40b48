import type { BackfillSummary, BackfillView } from '../../../backfills/backfill-store.js';
import { apiError } from '../api-errors.js';
import { requireRole, type GraphQLContext } from '../graphql-context.js';
import { pageSize } from '../pagination.js';

interface FreshnessFilter {
  owner?: string;
  group?: string;
  status?: string[];
}

export const miscQueryResolvers = {
  viewer: (_: unknown, __: unknown, ctx: GraphQLContext) => ({
    tokenId: ctx.principal.tokenId,
    name: ctx.principal.tokenName,
    role: ctx.principal.role,
  }),

  /** The stakeholders' board: every asset with a policy (one row per partition when partitioned). */
  freshness: async (_: unknown, args: { filter?: FreshnessFilter }, ctx: GraphQLContext) => {
    const { engine } = ctx.services;
    const graph = engine.graph;
    const filter = args.filter ?? {};
    const views = await engine.freshness();
    return views
      .filter((view) => {
        const definition = graph.get(view.assetKey);
        if (filter.owner !== undefined && !definition.owners.includes(filter.owner)) return false;
        if (filter.group !== undefined && definition.group !== filter.group) return false;
        return !filter.status?.length || filter.status.includes(view.status);
      })
      .map((view) => {
        const definition = graph.get(view.assetKey);
        return {
          ...view,
          partitionKey: view.partitionKey || null,
          group: definition.group,
          owners: definition.owners,
          description: definition.description ?? null,
        };
      });
  },

  backfills: async (_: unknown, args: { first?: number }, ctx: GraphQLContext) => {
    const first = pageSize(args.first ?? 20);
    const { backfills } = ctx.services;
    if (!backfills) return [];
    // Partitions come from Backfill.partitions, batched for the whole page.
    return backfills.list(first);
  },

  backfill: async (_: unknown, args: { id: string }, ctx: GraphQLContext) => {
    if (!/^[0-9a-f-]{36}$/i.test(args.id))
      throw apiError('BAD_USER_INPUT', `not a backfill id: ${JSON.stringify(args.id)}`);
    const view = await ctx.services.backfills?.get(args.id);
    if (!view) throw apiError('NOT_FOUND', `backfill ${args.id} not found`);
    return view;
  },

  apiTokens: (_: unknown, __: unknown, ctx: GraphQLContext) => {
    requireRole(ctx, 'admin', 'listing API tokens');
    return ctx.services.auth.listTokens();
  },
};

/** `Backfill` fields not on every backfill object: a listed backfill's partitions, batched. */
export const backfillFieldResolvers = {
  partitions: (
    backfill: BackfillSummary & { partitions?: BackfillView['partitions'] },
    _: unknown,
    ctx: GraphQLContext,
  ) => backfill.partitions ?? ctx.loaders.partitionsByBackfill.load(backfill.id),
};
