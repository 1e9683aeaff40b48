import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asset } from '../../src/sdk/asset.js';
import { AssetDefinitionError } from '../../src/sdk/definition-error.js';
import { column, table } from '../../src/sdk/table.js';
import { notNull, rowCount, unique } from '../../src/sdk/table-checks.js';
import { openTestStore, startTableEngine, type TestStore } from './table-harness.js';

const people = asset({
  key: 'people',
  checks: [
    notNull('id', { severity: 'warn' }),
    unique('id', { severity: 'warn' }),
    rowCount({ min: 10 }, { severity: 'warn' }),
    notNull('name'),
  ],
  materialize: () =>
    table.fromRows({ id: 'BIGINT', name: 'VARCHAR', born: 'DATE' }, [
      { id: 1, name: 'ada', born: '1815-12-10' },
      { id: 2, name: 'grace', born: '1906-12-09' },
      { id: 2, name: 'alan' },
      { id: null, name: 'edsger', born: '1930-05-11' },
    ]),
});

describe('table rows, built-in column checks and column lineage', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore('filesystem');
  });
  afterAll(async () => {
    await store?.close();
  });

  it('writes rows with a declared schema; DuckDB runs notNull, unique and rowCount on the file', async () => {
    const names = asset({
      key: 'names',
      deps: { people },
      materialize: async (_ctx, { people: rows }) => ({
        columns: await rows.columns(),
        rows: await rows.rows(),
      }),
    });
    const h = await startTableEngine('pglite', [people, names], store.store);
    try {
      const run = await h.engine.waitForRun((await h.engine.requestRun({ selection: '*', trigger: 'manual' })).id);
      expect(run.status).toBe('succeeded');
      expect(run.steps.find((s) => s.assetKey === 'people')!.checks).toEqual([
        { name: 'notNull(id)', severity: 'warn', passed: false, message: "1 null value(s) in 'id'" },
        { name: 'unique(id)', severity: 'warn', passed: false, message: "1 duplicate value(s) in 'id'" },
        { name: 'rowCount', severity: 'warn', passed: false, message: '4 row(s), expected 10..' },
        { name: 'notNull(name)', severity: 'error', passed: true, message: "0 null value(s) in 'name'" },
      ]);
      expect((await h.latest('people')).table).toMatchObject({
        rowCount: 4,
        columns: [
          { name: 'id', type: 'BIGINT', nullable: true },
          { name: 'name', type: 'VARCHAR', nullable: true },
          { name: 'born', type: 'DATE', nullable: true },
        ],
      });
      const [row] = await h.database.dataSource.query(
        `SELECT output_inline FROM materializations WHERE asset_key = 'names'`,
      );
      expect(row.output_inline.rows).toEqual([
        { id: 1, name: 'ada', born: '1815-12-10T00:00:00.000Z' },
        { id: 2, name: 'grace', born: '1906-12-09T00:00:00.000Z' },
        { id: 2, name: 'alan', born: null },
        { id: null, name: 'edsger', born: '1930-05-11T00:00:00.000Z' },
      ]);
    } finally {
      await h.close();
    }
  });

  it('a check on a column the table lacks fails, naming the asset and the column', async () => {
    const h = await startTableEngine(
      'pglite',
      [asset({ key: 'thin', checks: [notNull('email')], materialize: () => table.fromQuery('SELECT 1 AS id') })],
      store.store,
    );
    try {
      const run = await h.engine.waitForRun((await h.engine.requestRun({ selection: '*', trigger: 'manual' })).id);
      expect(run.steps[0]!.error).toBe(
        "check 'notNull(email)' failed: table 'thin' has no column 'email' (columns: id)",
      );
    } finally {
      await h.close();
    }
  });

  it('rejects rows that do not fit the declared schema, naming the column', () => {
    expect(() => table.fromRows({ id: 'BIGINT' }, [{ id: 1, email: 'x' }])).toThrow(
      "table.fromRows: row 0 has column 'email', which the schema does not declare",
    );
    expect(() => table.fromRows({ 'bad name': 'BIGINT' }, [])).toThrow("column 'bad name' must be a plain identifier");
  });

  it('validates declared lineage at load (the upstream must be a dependency) and at materialization (columns exist)', async () => {
    expect(() =>
      asset({
        key: 'scores',
        columnLineage: { score: [column(people, 'id')] },
        materialize: () => table.fromQuery('SELECT 1 AS score'),
      }),
    ).toThrow(AssetDefinitionError);
    expect(() =>
      asset({
        key: 'scores',
        columnLineage: { score: [column(people, 'id')] },
        materialize: () => table.fromQuery('SELECT 1 AS score'),
      }),
    ).toThrow(
      "asset 'scores' has an invalid columnLineage 'score' reads column 'id' of 'people', which is not a dependency",
    );

    const wrongUpstream = asset({
      key: 'ages',
      deps: { people },
      columnLineage: { age: [column(people, 'birthday')] },
      materialize: (_ctx, { people: rows }) => table.fromQuery(`SELECT 2025 - year(born) AS age FROM ${rows}`),
    });
    const wrongOwn = asset({
      key: 'years',
      deps: { people },
      columnLineage: { year: [column(people, 'born')] },
      materialize: (_ctx, { people: rows }) => table.fromQuery(`SELECT year(born) AS y FROM ${rows}`),
    });
    const h = await startTableEngine('pglite', [people, wrongUpstream, wrongOwn], store.store);
    try {
      const run = await h.engine.waitForRun((await h.engine.requestRun({ selection: '*', trigger: 'manual' })).id);
      const errors = Object.fromEntries(run.steps.map((s) => [s.assetKey, s.error]));
      expect(errors.ages).toBe(
        "asset 'ages' declares that column 'age' comes from column 'birthday' of 'people', which has no such column",
      );
      expect(errors.years).toBe(
        "asset 'years' declares columnLineage for column 'year', which its table does not have (columns: y)",
      );
    } finally {
      await h.close();
    }
  });

  it('derives column lineage from a DuckDB query over upstream tables, where the query says it plainly', async () => {
    const years = asset({
      key: 'years',
      deps: { people },
      materialize: (_ctx, { people: rows }) =>
        table.fromQuery(`SELECT name, year(born) AS born_year, id * 2 AS double_id, 42 AS answer FROM ${rows}`),
    });
    const pairs = asset({
      key: 'pairs',
      deps: { people, years },
      // Declared lineage wins for its column; the rest is derived (aliases resolve the join).
      columnLineage: { answer: [column(years, 'answer')] },
      materialize: (_ctx, { people: p, years: y }) =>
        table.fromQuery(
          `SELECT p.name, y.born_year + p.id AS mixed, y.answer FROM ${p} p JOIN ${y} y ON p.name = y.name`,
        ),
    });
    const h = await startTableEngine('pglite', [people, years, pairs], store.store);
    try {
      const run = await h.engine.waitForRun((await h.engine.requestRun({ selection: '*', trigger: 'manual' })).id);
      expect(run.status).toBe('succeeded');
      expect((await h.latest('years')).table!.columnLineage).toEqual({
        name: [{ asset: 'people', column: 'name' }],
        born_year: [{ asset: 'people', column: 'born' }],
        double_id: [{ asset: 'people', column: 'id' }],
      });
      expect((await h.latest('pairs')).table!.columnLineage).toEqual({
        name: [{ asset: 'people', column: 'name' }],
        mixed: [
          { asset: 'years', column: 'born_year' },
          { asset: 'people', column: 'id' },
        ],
        answer: [{ asset: 'years', column: 'answer' }],
      });
    } finally {
      await h.close();
    }
  });
});
