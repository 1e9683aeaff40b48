import type { ColumnRef } from '../sdk/table-metadata.js';
import { queryRows, sqlString, withConnection } from './duckdb-session.js';

/** A node of DuckDB's serialized parse tree (`json_serialize_sql`), loosely typed. */
type Node = Record<string, unknown>;

/**
 * Column lineage read from the query's parse tree, for the simple shapes it can be sure of: a
 * SELECT whose FROM holds upstream tables (`${orders}`, joined or not, aliased or not) and
 * whose select-list items are named (a plain column, or `… AS name`). Each output column maps
 * to the upstream columns its expression references. Anything else (subqueries, CTEs, `*`,
 * unqualified columns with several tables) is left out rather than guessed; undefined when
 * nothing could be derived.
 * @param assetOfPath - the local Parquet path of each upstream table file → its asset key.
 */
export async function deriveLineage(
  sql: string,
  assetOfPath: ReadonlyMap<string, string>,
): Promise<Record<string, ColumnRef[]> | undefined> {
  if (assetOfPath.size === 0) return undefined;
  let tree: Node;
  try {
    const [row] = await withConnection((c) => queryRows(c, `SELECT json_serialize_sql(${sqlString(sql)}) AS j`));
    tree = JSON.parse(String(row!.j)) as Node;
  } catch {
    return undefined;
  }
  if (tree.error === true) return undefined;
  const statements = tree.statements as Node[] | undefined;
  const node = statements?.length === 1 ? (statements[0]!.node as Node) : undefined;
  if (!node || node.type !== 'SELECT_NODE' || hasCtes(node)) return undefined;
  const aliases = new Map<string, string>();
  const assets = new Set<string>();
  if (!collectSources(node.from_table as Node, assetOfPath, aliases, assets)) return undefined;
  const only = assets.size === 1 ? [...assets][0]! : undefined;
  const lineage: Record<string, ColumnRef[]> = {};
  for (const item of (node.select_list as Node[]) ?? []) {
    const refs = item.type === 'COLUMN_REF' ? [item] : columnRefs(item);
    const name = (item.alias as string) || (item.type === 'COLUMN_REF' ? lastName(item) : '');
    if (!name) continue;
    const resolved: ColumnRef[] = [];
    for (const ref of refs) {
      const names = ref.column_names as string[];
      const asset = names.length === 2 ? aliases.get(names[0]!) : names.length === 1 ? only : undefined;
      if (!asset) continue;
      const column = names.at(-1)!;
      if (!resolved.some((r) => r.asset === asset && r.column === column)) resolved.push({ asset, column });
    }
    if (resolved.length > 0) lineage[name] = resolved;
  }
  return Object.keys(lineage).length > 0 ? lineage : undefined;
}

function hasCtes(node: Node): boolean {
  const map = (node.cte_map as { map?: unknown[] } | undefined)?.map;
  return Array.isArray(map) && map.length > 0;
}

/** Records the upstream tables of a FROM clause; false when it holds anything else. */
function collectSources(
  from: Node | undefined,
  assetOfPath: ReadonlyMap<string, string>,
  aliases: Map<string, string>,
  assets: Set<string>,
): boolean {
  if (!from) return false;
  if (from.type === 'JOIN') {
    return (
      collectSources(from.left as Node, assetOfPath, aliases, assets) &&
      collectSources(from.right as Node, assetOfPath, aliases, assets)
    );
  }
  if (from.type !== 'TABLE_FUNCTION') return false;
  const fn = from.function as Node;
  if (fn.function_name !== 'read_parquet') return false;
  const found = new Set(constants(fn).flatMap((value) => (assetOfPath.has(value) ? [assetOfPath.get(value)!] : [])));
  if (found.size !== 1) return false;
  const asset = [...found][0]!;
  assets.add(asset);
  aliases.set((from.alias as string) || 'read_parquet', asset);
  return true;
}

function constants(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(constants);
  if (typeof node !== 'object' || node === null) return [];
  const n = node as Node;
  if (n.class === 'CONSTANT') {
    const value = (n.value as { value?: unknown } | undefined)?.value;
    return typeof value === 'string' ? [value] : [];
  }
  return Object.values(n).flatMap(constants);
}

function columnRefs(node: unknown): Node[] {
  if (Array.isArray(node)) return node.flatMap(columnRefs);
  if (typeof node !== 'object' || node === null) return [];
  const n = node as Node;
  if (n.class === 'COLUMN_REF') return [n];
  // A subquery's columns belong to its own FROM: not followed.
  if (n.class === 'SUBQUERY') return [];
  return Object.values(n).flatMap(columnRefs);
}

function lastName(ref: Node): string {
  return (ref.column_names as string[]).at(-1) ?? '';
}
