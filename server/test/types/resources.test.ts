import { describe, expect, it } from 'vitest';
import { AssetGraph, collectDefinitions } from '../../src/graph/index.js';
import { asset, AssetDefinitionError, check, sensor } from '../../src/index.js';
import * as typed from './resources.types.js';

// The type tests live in resources.types.ts (checked by tsc); this makes sure the module loads
// and that what tsc refuses is refused at run time too, naming the culprit.
describe('resources.types.ts', () => {
  it('defines a valid graph whose assets and checks keep their resources', () => {
    const graph = AssetGraph.build(collectDefinitions({ rows: typed.rows, plain: typed.plain }));
    const rows = graph.get('resource-types/rows');
    expect(rows.kind === 'asset' && Object.keys(rows.resources)).toEqual(['warehouse', 'counter']);
    expect(rows.kind === 'asset' && Object.keys(rows.checks[0]!.resources)).toEqual(['wh']);
    expect(typed.watcher.resources.warehouse).toBe(typed.warehouse);
  });
});

describe('resources that are not resource(...) values', () => {
  it('are refused by asset(), check() (through asset()) and sensor(), naming the culprit', () => {
    expect(() => asset({ key: 'x/bad', resources: { wh: {} } as never, materialize: () => 1 })).toThrow(
      AssetDefinitionError,
    );
    expect(() => asset({ key: 'x/bad', resources: { wh: undefined } as never, materialize: () => 1 })).toThrow(
      /asset 'x\/bad' has resource 'wh' that is not made by resource\(\.\.\.\) \(got undefined/,
    );
    const bad = check('c', () => true, { resources: { wh: 3 } as never });
    expect(() => asset({ key: 'x/checked', checks: [bad], materialize: () => 1 })).toThrow(
      /check 'c' has resource 'wh' that is not made by resource/,
    );
    expect(() => sensor({ name: 's', interval: '1m', resources: [] as never, evaluate: () => ({}) })).toThrow(
      /sensor 's' has resources that are not an object/,
    );
  });
});
