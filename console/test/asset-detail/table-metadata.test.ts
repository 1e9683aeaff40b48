// The asset page's table views: the schema with its changes, the column-lineage layout, and the
// components drawing them.
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { ColumnLineageEdge, TableMetadata } from '../../src/assets-detail/asset-detail-queries';
import ColumnLineage from '../../src/assets-detail/ColumnLineage.vue';
import { columnLineageLayout, highlightedBy, type LineageBox } from '../../src/assets-detail/column-lineage-layout';
import { describeSchemaChange, schemaRows } from '../../src/assets-detail/schema-rows';
import TableSchema from '../../src/assets-detail/TableSchema.vue';
import { testRouter } from '../support/test-router';

const table: TableMetadata = {
  rowCount: 3_000_000_000,
  bytes: 3 * 1024 * 1024,
  schemaHash: 'c'.repeat(64),
  columns: [
    { name: 'day', type: 'DATE', nullable: false },
    { name: 'revenue', type: 'BIGINT', nullable: true },
    { name: 'customer_name', type: 'VARCHAR', nullable: true },
  ],
  schemaChange: {
    added: [{ name: 'customer_name', type: 'VARCHAR', nullable: true }],
    removed: [{ name: 'legacy', type: 'VARCHAR', nullable: true }],
    typeChanged: [{ name: 'revenue', from: 'INTEGER', to: 'BIGINT' }],
  },
};

const edge = (asset: string, column: string, to: string): ColumnLineageEdge => ({
  from: { asset, column },
  to: { asset: 'shop/revenue', column: to },
});

describe('schema rows', () => {
  it('marks added and retyped columns in table order and lists removed ones last', () => {
    expect(schemaRows(table)).toEqual([
      { name: 'day', type: 'DATE', nullable: false, change: 'unchanged', previousType: null },
      { name: 'revenue', type: 'BIGINT', nullable: true, change: 'retyped', previousType: 'INTEGER' },
      { name: 'customer_name', type: 'VARCHAR', nullable: true, change: 'added', previousType: null },
      { name: 'legacy', type: 'VARCHAR', nullable: true, change: 'removed', previousType: null },
    ]);
  });

  it('marks nothing without a change (the first materialization, or the same schema)', () => {
    const rows = schemaRows({ ...table, schemaChange: null });
    expect(rows.map((row) => row.change)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(describeSchemaChange(null)).toBeNull();
    expect(describeSchemaChange({ added: [], removed: [], typeChanged: [] })).toBeNull();
  });

  it('summarises a change in words', () => {
    expect(describeSchemaChange(table.schemaChange)).toBe(
      '1 column added, 1 column removed, 1 column changed type since the previous materialization',
    );
    expect(
      describeSchemaChange({
        added: [],
        removed: [
          { name: 'a', type: 'INTEGER', nullable: true },
          { name: 'b', type: 'INTEGER', nullable: true },
        ],
        typeChanged: [],
      }),
    ).toBe('2 columns removed since the previous materialization');
  });
});

describe('column lineage layout', () => {
  const box: LineageBox = { rowHeight: 20, groupGap: 10, bandWidth: 100 };

  it('orders upstream assets and their columns by the columns they feed, and joins them with lines', () => {
    const layout = columnLineageLayout(
      ['day', 'revenue', 'customer_name'],
      [
        edge('shop/customers', 'name', 'customer_name'),
        edge('shop/orders', 'amount', 'revenue'),
        edge('shop/orders', 'day', 'day'),
      ],
      box,
    );
    // orders feeds positions 0 and 1, customers position 2: orders first; within orders, day (0) before amount (1).
    expect(
      layout.upstream.map((group) => [group.asset, group.top, group.columns.map((slot) => [slot.column, slot.top])]),
    ).toEqual([
      [
        'shop/orders',
        0,
        [
          ['day', 20],
          ['amount', 40],
        ],
      ],
      ['shop/customers', 70, [['name', 90]]],
    ]);
    // The left list is 110 px tall, the right 60: the right is centred.
    expect(layout.height).toBe(110);
    expect(layout.own).toEqual([
      { column: 'day', top: 25, linked: true },
      { column: 'revenue', top: 45, linked: true },
      { column: 'customer_name', top: 65, linked: true },
    ]);
    expect(layout.links.find((link) => link.id === 'shop/orders.amount → revenue')).toEqual({
      id: 'shop/orders.amount → revenue',
      from: 'shop/orders.amount',
      to: 'revenue',
      path: 'M0 50 C50 50 50 55 100 55',
    });
  });

  it('keeps columns without lineage (unlinked), adds columns named only by the lineage, draws a repeated edge once', () => {
    const layout = columnLineageLayout(
      ['id', 'total'],
      [
        edge('shop/orders', 'amount', 'total'),
        edge('shop/orders', 'amount', 'total'),
        edge('shop/fx', 'rate', 'converted'),
      ],
      box,
    );
    expect(layout.own.map((slot) => [slot.column, slot.linked])).toEqual([
      ['id', false],
      ['total', true],
      ['converted', true],
    ]);
    expect(layout.links.map((link) => link.id)).toEqual(['shop/orders.amount → total', 'shop/fx.rate → converted']);
  });

  it('lights up the lines of a hovered column and the rows at their other ends', () => {
    const layout = columnLineageLayout(
      ['revenue', 'customer_name'],
      [
        edge('shop/orders', 'amount', 'revenue'),
        edge('shop/orders', 'id', 'revenue'),
        edge('shop/customers', 'name', 'customer_name'),
      ],
      box,
    );
    const lit = highlightedBy(layout, { side: 'own', column: 'revenue' });
    expect([...lit.links].sort()).toEqual(['shop/orders.amount → revenue', 'shop/orders.id → revenue']);
    expect([...lit.upstream].sort()).toEqual(['shop/orders.amount', 'shop/orders.id']);
    expect(highlightedBy(layout, { side: 'upstream', id: 'shop/customers.name' }).own).toEqual(
      new Set(['customer_name']),
    );
    expect(highlightedBy(layout, null).links.size).toBe(0);
  });

  it('stays readable for 20 columns: rows never overlap', () => {
    const columns = Array.from({ length: 20 }, (_, i) => `c${i}`);
    const layout = columnLineageLayout(
      columns,
      columns.map((column, i) => edge(`up/${i % 3}`, `src_${column}`, column)),
      box,
    );
    const tops = layout.upstream.flatMap((group) => [group.top, ...group.columns.map((slot) => slot.top)]);
    for (let i = 1; i < tops.length; i++) expect(tops[i]! - tops[i - 1]!).toBeGreaterThanOrEqual(box.rowHeight);
    expect(layout.links).toHaveLength(20);
  });
});

describe('TableSchema', () => {
  it('shows the figures and marks each change on its row', () => {
    const wrapper = mount(TableSchema, { props: { table, materializations: 2 } });
    expect(wrapper.get('[data-testid="table-row-count"]').text()).toBe('3,000,000,000');
    expect(wrapper.get('[data-testid="table-bytes"]').text()).toBe('3.0 MB');
    const rows = wrapper.findAll('[data-testid="schema-row"]');
    expect(rows.map((row) => row.attributes('data-change'))).toEqual(['unchanged', 'retyped', 'added', 'removed']);
    expect(rows[1]!.text()).toContain('INTEGER → BIGINT');
    expect(rows[2]!.text()).toContain('added');
    expect(rows[3]!.find('del').text()).toBe('legacy');
    expect(wrapper.get('[data-testid="schema-change-summary"]').text()).toContain('1 column removed');
  });

  it('tells a first materialization from an unchanged schema', () => {
    const unchanged = { ...table, schemaChange: null };
    const summary = (materializations: number) =>
      mount(TableSchema, { props: { table: unchanged, materializations } })
        .get('[data-testid="schema-change-summary"]')
        .text();
    expect(summary(1)).toContain('First materialization of this table');
    expect(summary(3)).toBe('Same schema as the previous materialization.');
  });
});

describe('ColumnLineage', () => {
  it('draws a line per edge, links each upstream asset to its page and lists the edges for screen readers', async () => {
    const router = await testRouter('/assets/shop/revenue');
    const wrapper = mount(ColumnLineage, {
      props: {
        assetKey: 'shop/revenue',
        columns: table.columns,
        edges: [edge('shop/orders', 'amount', 'revenue'), edge('shop/customers', 'name', 'customer_name')],
      },
      global: { plugins: [router] },
    });
    const links = wrapper.findAll('[data-testid="lineage-link"]');
    expect(links.map((link) => `${link.attributes('data-from')} → ${link.attributes('data-to')}`)).toEqual([
      'shop/orders.amount → revenue',
      'shop/customers.name → customer_name',
    ]);
    const assets = wrapper.findAll('[data-testid="lineage-upstream-asset"]');
    // Keys hold slashes: the route decodes them back into the key.
    expect(assets.map((asset) => router.resolve(asset.attributes('href')!).params.key)).toEqual([
      'shop/orders',
      'shop/customers',
    ]);
    expect(wrapper.get('ul[aria-label="Column lineage edges"]').text()).toContain(
      'shop/orders.amount → shop/revenue.revenue',
    );

    await wrapper.get('[data-column="revenue"]').trigger('mouseenter');
    expect(wrapper.get('[data-from="shop/orders.amount"]').classes()).toContain('lit');
    expect(wrapper.get('[data-from="shop/customers.name"]').classes()).toContain('dim');
  });

  it('says so when no lineage is recorded', () => {
    const wrapper = mount(ColumnLineage, { props: { assetKey: 'shop/revenue', columns: table.columns, edges: [] } });
    expect(wrapper.text()).toContain('No column lineage recorded');
  });
});
