// A small lineage used across the lineage tests: bronze → silver → gold, plus a lone source.
import type { LineageGraphData, LineageNode } from '../../src/lineage/lineage-types';

export function node(key: string, overrides: Partial<LineageNode> = {}): LineageNode {
  return { key, group: key.split('/')[0]!, kind: 'ASSET', status: 'FRESH', ...overrides };
}

export function medallion(): LineageGraphData {
  return {
    hash: 'h1',
    nodes: [
      node('bronze/orders_raw', { kind: 'SOURCE' }),
      node('bronze/customers_raw', { kind: 'SOURCE' }),
      node('silver/orders', { status: 'FAILED' }),
      node('silver/customers', { status: 'STALE' }),
      node('gold/revenue', { status: 'RUNNING' }),
      node('gold/churn'),
    ],
    edges: [
      { from: 'bronze/orders_raw', to: 'silver/orders' },
      { from: 'bronze/customers_raw', to: 'silver/customers' },
      { from: 'silver/orders', to: 'gold/revenue' },
      { from: 'silver/customers', to: 'gold/revenue' },
      { from: 'silver/customers', to: 'gold/churn' },
      { from: 'silver/orders', to: 'gold/churn' },
    ],
  };
}
