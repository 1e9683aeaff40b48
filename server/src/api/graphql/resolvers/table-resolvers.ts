import DataLoader from 'dataloader';
import type { TableMetadata } from '../../../sdk/table-metadata.js';
import { columnLineageEdges, toTableView, type TableView } from '../../read-models/table-views.js';
import type { GraphQLContext } from '../graphql-context.js';
import { PAGE_MAXIMA, pageSize } from '../pagination.js';
import type { RequestLoaders } from '../request-loaders.js';
import type { AssetParent } from './asset-resolvers.js';

// One loader per request (keyed by the request's loaders, which are made per request): the tables
// of a page of 100 materializations are one query, and nothing is cached across requests.
const tableLoaders = new WeakMap<RequestLoaders, DataLoader<string, TableView | null>>();

function tableByMaterialization(ctx: GraphQLContext): DataLoader<string, TableView | null> {
  let loader = tableLoaders.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const rows: Array<{ id: string; table_metadata: TableMetadata | null }> =
        await ctx.services.engine.dataSource.query(
          `SELECT id, table_metadata FROM materializations WHERE id = ANY($1::uuid[]) AND table_metadata IS NOT NULL`,
          [[...ids]],
        );
      const byId = new Map(rows.map((row) => [row.id, toTableView(row.table_metadata)]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    tableLoaders.set(ctx.loaders, loader);
  }
  return loader;
}

/**
 * The table of an asset's latest materialization (of one partition when given). Without a
 * partition it goes through the batched latest-materialization loader, so a list of assets
 * costs two queries, not two per asset.
 */
async function latestTable(ctx: GraphQLContext, assetKey: string, partition: string | null | undefined) {
  if (partition === undefined || partition === null) {
    const latest = await ctx.loaders.latestMaterializationByAsset.load(assetKey);
    return latest ? tableByMaterialization(ctx).load(latest.id) : null;
  }
  const rows: Array<{ table_metadata: TableMetadata | null }> = await ctx.services.engine.dataSource.query(
    `SELECT table_metadata FROM materializations WHERE asset_key = $1 AND partition_key = $2
      ORDER BY created_at DESC, id DESC LIMIT 1`,
    [assetKey, partition],
  );
  return toTableView(rows[0]?.table_metadata);
}

export const tableAssetFieldResolvers = {
  table: (asset: AssetParent, args: { partition?: string | null }, ctx: GraphQLContext) =>
    latestTable(ctx, asset.key, args.partition),

  columnLineage: async (asset: AssetParent, args: { partition?: string | null }, ctx: GraphQLContext) =>
    columnLineageEdges(asset.key, await latestTable(ctx, asset.key, args.partition)),

  rowCountSeries: async (
    asset: AssetParent,
    args: { limit?: number; partition?: string | null },
    ctx: GraphQLContext,
  ) => {
    const limit = pageSize(args.limit ?? 100, PAGE_MAXIMA['Asset.rowCountSeries'], 'limit');
    const params: unknown[] = [asset.key];
    let where = 'asset_key = $1 AND table_metadata IS NOT NULL';
    if (args.partition !== undefined && args.partition !== null) {
      params.push(args.partition);
      where += ` AND partition_key = $${params.length}`;
    }
    params.push(limit);
    // The row count is read out of the jsonb as text: a number there may pass 2^31.
    const rows: Array<{ created_at: Date | string; run_id: string; row_count: string | null }> =
      await ctx.services.engine.dataSource.query(
        `SELECT created_at, run_id, table_metadata->>'rowCount' AS row_count FROM materializations
          WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
        params,
      );
    return rows
      .reverse()
      .map((row) => ({ at: new Date(row.created_at), value: Number(row.row_count), runId: row.run_id }))
      .filter((point) => Number.isFinite(point.value));
  },
};

export const tableMaterializationFieldResolvers = {
  table: (materialization: { id: string }, _: unknown, ctx: GraphQLContext) =>
    tableByMaterialization(ctx).load(materialization.id),
};
