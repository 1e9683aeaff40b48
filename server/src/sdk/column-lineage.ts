import type { ColumnRef } from './table-metadata.js';

/**
 * Declared column lineage: for each output column, the upstream columns it is computed from,
 * e.g. `{ revenue: [column(orders, 'amount')] }` or `{ revenue: [{ asset: 'bronze/orders', column: 'amount' }] }`.
 */
export type ColumnLineageSpec = Readonly<Record<string, readonly ColumnRef[]>>;

/**
 * What is wrong with `lineage` for an asset whose dependencies have keys `depKeys`, or undefined.
 * Column existence is checked when the table is materialized, where the schemas are known.
 */
export function columnLineageProblem(lineage: unknown, depKeys: readonly string[]): string | undefined {
  if (typeof lineage !== 'object' || lineage === null || Array.isArray(lineage)) {
    return 'columnLineage must be an object of output column → upstream columns';
  }
  for (const [output, refs] of Object.entries(lineage as Record<string, unknown>)) {
    if (!Array.isArray(refs)) return `columnLineage '${output}' must be an array of { asset, column }`;
    for (const ref of refs as unknown[]) {
      const { asset, column } = (ref ?? {}) as { asset?: unknown; column?: unknown };
      if (typeof asset !== 'string' || typeof column !== 'string' || column === '') {
        return `columnLineage '${output}' has an entry that is not { asset, column } (use column(orders, 'amount'))`;
      }
      if (!depKeys.includes(asset)) {
        return `columnLineage '${output}' reads column '${column}' of '${asset}', which is not a dependency (deps: ${depKeys.join(', ') || 'none'})`;
      }
    }
  }
  return undefined;
}
