import { DuckDBInstance } from '@duckdb/node-api';
import {
  makeVector,
  Table,
  vectorFromArray,
  DateDay,
  List,
  Field,
  Int32,
  TimestampMillisecond,
  Utf8,
} from 'apache-arrow';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asset } from '../../src/sdk/asset.js';
import { table, type TableHandle } from '../../src/sdk/table.js';
import { openTestStore, startTableEngine, type StoreKind, type TestStore } from './table-harness.js';

const ROWS = 10_000;
const DAY = 86_400_000;

/** An Arrow table of every supported column kind; row i is predictable from i. */
function arrowEvents() {
  const ids = BigInt64Array.from({ length: ROWS }, (_, i) => BigInt(i) * 3_000_000_000n);
  return new Table({
    id: makeVector(ids),
    amount: makeVector(Float64Array.from({ length: ROWS }, (_, i) => i / 4)),
    small: makeVector(Int16Array.from({ length: ROWS }, (_, i) => (i % 200) - 100)),
    name: vectorFromArray(
      Array.from({ length: ROWS }, (_, i) => (i % 10 === 0 ? null : `n${i % 13}`)),
      new Utf8(),
    ),
    ok: vectorFromArray(
      Array.from({ length: ROWS }, (_, i) => i % 3 === 0),
      undefined,
    ),
    day: vectorFromArray(
      Array.from({ length: ROWS }, (_, i) => new Date(Date.UTC(2026, 0, 1) + (i % 31) * DAY)),
      new DateDay(),
    ),
    seen_at: vectorFromArray(
      Array.from({ length: ROWS }, (_, i) => Date.UTC(2026, 5, 1, 12) + i * 1000),
      new TimestampMillisecond(),
    ),
  });
}

function arrowAssets() {
  const events = asset({ key: 'arrow/events', materialize: () => table.fromArrow(arrowEvents()) });
  const summary = asset({
    key: 'arrow/summary',
    deps: { events },
    materialize: async (_ctx, { events: rows }: { events: TableHandle }) => {
      const [sums] = await rows.query(
        `SELECT count(*) AS n, sum(amount) AS amount, sum(small) AS small, count(name) AS names,
                count(*) FILTER (WHERE ok) AS oks, min(day)::VARCHAR AS first_day, max(day)::VARCHAR AS last_day,
                min(seen_at)::VARCHAR AS first_at, max(id)::VARCHAR AS max_id FROM ${rows}`,
      );
      const back = await rows.arrow();
      return {
        sums,
        arrowRows: back.numRows,
        arrowTypes: back.schema.fields.map((field) => `${field.name}:${String(field.type)}`),
        lastId: String(back.getChild('id')!.get(ROWS - 1)),
        firstDay: new Date(back.getChild('day')!.get(5) as number).toISOString(),
        firstAt: new Date(back.getChild('seen_at')!.get(0) as number).toISOString(),
        tenthName: back.getChild('name')!.get(10),
        secondName: back.getChild('name')!.get(1),
      };
    },
  });
  return [events, summary];
}

describe.each<StoreKind>(['filesystem', 's3'])('Arrow table outputs on the %s store', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('stores an Arrow table as Parquet with its types; a downstream reads it back in SQL and as Arrow', async () => {
    const h = await startTableEngine('pglite', arrowAssets(), store.store);
    try {
      const run = await h.engine.requestRun({ selection: '*', trigger: 'manual' });
      const final = await h.engine.waitForRun(run.id);
      expect(final.steps.map((s) => [s.assetKey, s.status, s.error])).toEqual(
        expect.arrayContaining([
          ['arrow/events', 'succeeded', null],
          ['arrow/summary', 'succeeded', null],
        ]),
      );
      const events = await h.latest('arrow/events');
      expect(events.valueType).toBe('table');
      expect(events.table!.rowCount).toBe(ROWS);
      expect(events.table!.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
        'id:BIGINT',
        'amount:DOUBLE',
        'small:SMALLINT',
        'name:VARCHAR',
        'ok:BOOLEAN',
        'day:DATE',
        'seen_at:TIMESTAMP',
      ]);
      if (kind === 'filesystem') {
        // The stored file is plain Parquet: DuckDB alone reads the same figures.
        const db = await DuckDBInstance.create(':memory:');
        const connection = await db.connect();
        const [row] = (
          await connection.runAndReadAll(
            `SELECT count(*) AS n, sum(small) AS small FROM read_parquet('${fileURLToPath(events.uri)}')`,
          )
        ).getRowObjectsJS();
        connection.closeSync();
        db.closeSync();
        expect(Number(row!.n)).toBe(ROWS);
        expect(Number(row!.small)).toBe(expectedSmallSum());
      }

      const [summary] = await h.database.dataSource.query(
        `SELECT output_inline FROM materializations WHERE asset_key = 'arrow/summary'`,
      );
      const value = summary.output_inline;
      expect(value.sums).toEqual({
        n: ROWS,
        amount: ((ROWS - 1) * ROWS) / 8,
        small: expectedSmallSum(),
        names: ROWS - ROWS / 10,
        oks: Math.ceil(ROWS / 3),
        first_day: '2026-01-01',
        last_day: '2026-01-31',
        first_at: '2026-06-01 12:00:00',
        max_id: String(BigInt(ROWS - 1) * 3_000_000_000n),
      });
      expect(value.arrowRows).toBe(ROWS);
      expect(value.arrowTypes).toEqual([
        'id:Int64',
        'amount:Float64',
        'small:Int16',
        'name:Utf8',
        'ok:Bool',
        'day:Date32<DAY>',
        'seen_at:Timestamp<MICROSECOND>',
      ]);
      expect(value.lastId).toBe(String(BigInt(ROWS - 1) * 3_000_000_000n));
      expect(value.firstDay).toBe('2026-01-06T00:00:00.000Z');
      expect(value.firstAt).toBe('2026-06-01T12:00:00.000Z');
      expect(value.tenthName).toBeNull();
      expect(value.secondName).toBe('n1');
    } finally {
      await h.close();
    }
  });
});

function expectedSmallSum(): number {
  let sum = 0;
  for (let i = 0; i < ROWS; i++) sum += (i % 200) - 100;
  return sum;
}

describe('Arrow table outputs that Weir cannot store', () => {
  it('fails the step with an error naming the column and its Arrow type', async () => {
    const store = await openTestStore('filesystem');
    const lists = asset({
      key: 'arrow/lists',
      materialize: () =>
        table.fromArrow(
          new Table({
            id: makeVector(Int32Array.from([1, 2])),
            tags: vectorFromArray([[1], [2, 3]], new List(new Field('item', new Int32()))),
          }),
        ),
    });
    const h = await startTableEngine('pglite', [lists], store.store);
    try {
      const run = await h.engine.requestRun({ selection: '*', trigger: 'manual' });
      const final = await h.engine.waitForRun(run.id);
      expect(final.steps[0]!.status).toBe('failed');
      expect(final.steps[0]!.error).toContain("asset 'arrow/lists': Arrow column 'tags' has type List<Int32>");
    } finally {
      await h.close();
      await store.close();
    }
  });

  it('refuses a value that is not an Arrow table', () => {
    expect(() => table.fromArrow({ rows: [] } as never)).toThrow(/table.fromArrow needs an Apache Arrow Table/);
  });
});
