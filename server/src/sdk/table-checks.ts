import { check, type AssetCheck, type CheckSeverity, type CheckVerdict } from './check.js';
import type { TableHandle } from './table.js';

/** Options shared by the built-in table checks. */
export interface TableCheckOptions {
  /** `'error'` (default) fails the step and skips its downstream when the check fails. */
  readonly severity?: CheckSeverity;
}

/** Options of {@link schemaCheck}: which schema changes from the previous materialization are accepted. */
export interface SchemaCheckOptions extends TableCheckOptions {
  /** Accept new columns (default true). */
  readonly allowAdditions?: boolean;
  /** Accept dropped columns (default false). */
  readonly allowRemovals?: boolean;
  /** Accept columns whose type changed (default false). */
  readonly allowTypeChanges?: boolean;
}

/**
 * Fails when the table's schema changed from the previous materialization of the same asset
 * (and partition) in a way the options do not allow; passes for the first materialization.
 * @example `checks: [schemaCheck({ allowAdditions: true })]`
 */
export function schemaCheck(options: SchemaCheckOptions = {}): AssetCheck<TableHandle> {
  const { allowAdditions = true, allowRemovals = false, allowTypeChanges = false } = options;
  return check(
    'schema',
    (_ctx, table: TableHandle): CheckVerdict => {
      const change = table.metadata?.schemaChange;
      if (!change) return { passed: true, message: 'schema unchanged' };
      const problems = [
        ...(!allowAdditions && change.added.length ? [`added ${change.added.map((c) => c.name).join(', ')}`] : []),
        ...(!allowRemovals && change.removed.length ? [`removed ${change.removed.map((c) => c.name).join(', ')}`] : []),
        ...(!allowTypeChanges && change.typeChanged.length
          ? [`changed ${change.typeChanged.map((c) => `${c.name} ${c.from} → ${c.to}`).join(', ')}`]
          : []),
      ];
      return problems.length
        ? { passed: false, message: `schema of '${table.asset}' changed: ${problems.join('; ')}` }
        : { passed: true, message: 'schema changed within what is allowed' };
    },
    { severity: options.severity ?? 'error', description: 'schema changes from the previous materialization' },
  );
}

/** Fails when `column` holds a NULL; counted by DuckDB on the stored file. */
export function notNull(column: string, options: TableCheckOptions = {}): AssetCheck<TableHandle> {
  return check(
    `notNull(${column})`,
    async (_ctx, table: TableHandle): Promise<CheckVerdict> => {
      await requireColumn(table, column);
      const [row] = await table.query(`SELECT count(*) AS n FROM ${table} WHERE ${quoted(column)} IS NULL`);
      const nulls = Number(row!.n);
      return { passed: nulls === 0, message: `${nulls} null value(s) in '${column}'`, metadata: { nulls } };
    },
    { severity: options.severity ?? 'error' },
  );
}

/** Fails when a non-null value of `column` appears more than once; counted by DuckDB on the file. */
export function unique(column: string, options: TableCheckOptions = {}): AssetCheck<TableHandle> {
  return check(
    `unique(${column})`,
    async (_ctx, table: TableHandle): Promise<CheckVerdict> => {
      await requireColumn(table, column);
      const c = quoted(column);
      const [row] = await table.query(`SELECT count(${c}) - count(DISTINCT ${c}) AS n FROM ${table}`);
      const duplicates = Number(row!.n);
      return {
        passed: duplicates === 0,
        message: `${duplicates} duplicate value(s) in '${column}'`,
        metadata: { duplicates },
      };
    },
    { severity: options.severity ?? 'error' },
  );
}

/** Fails when the table's row count is below `min` or above `max`. */
export function rowCount(bounds: { readonly min?: number; readonly max?: number }, options: TableCheckOptions = {}) {
  const { min = 0, max = Number.POSITIVE_INFINITY } = bounds;
  return check(
    'rowCount',
    async (_ctx, table: TableHandle): Promise<CheckVerdict> => {
      const rows = table.metadata?.rowCount ?? Number((await table.query(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
      const passed = rows >= min && rows <= max;
      const range = `${min}..${max === Number.POSITIVE_INFINITY ? '' : max}`;
      return { passed, message: `${rows} row(s), expected ${range}`, metadata: { rows } };
    },
    { severity: options.severity ?? 'error' },
  ) as AssetCheck<TableHandle>;
}

async function requireColumn(table: TableHandle, column: string): Promise<void> {
  const names = (await table.columns()).map((c) => c.name);
  if (!names.includes(column)) {
    throw new Error(`table '${table.asset}' has no column '${column}' (columns: ${names.join(', ')})`);
  }
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
