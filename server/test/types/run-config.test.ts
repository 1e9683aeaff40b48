import { describe, expect, it } from 'vitest';
import { AssetGraph, collectDefinitions } from '../../src/graph/index.js';
import { AssetDefinitionError } from '../../src/index.js';
import * as typed from './run-config.types.js';

// The type tests live in run-config.types.ts (checked by tsc); this makes sure the module loads
// and that the value tsc refused is refused at run time too, naming the asset.
describe('run-config.types.ts', () => {
  it('defines a valid graph whose configurable asset keeps its schema', () => {
    const graph = AssetGraph.build(collectDefinitions({ sampled: typed.sampled, plain: typed.plain }));
    const sampled = graph.get('config-types/sampled');
    expect(sampled.kind === 'asset' && sampled.config !== undefined).toBe(true);
    const plain = graph.get('config-types/plain');
    expect(plain.kind === 'asset' && plain.config).toBeUndefined();
  });
});

describe('asset({ config })', () => {
  it('refuses a config that is not a schema, naming the asset', async () => {
    const { asset } = await import('../../src/index.js');
    expect(() => asset({ key: 'x/bad', config: { a: 1 } as never, materialize: () => 1 })).toThrow(
      AssetDefinitionError,
    );
    expect(() => asset({ key: 'x/bad', config: { a: 1 } as never, materialize: () => 1 })).toThrow(
      /'x\/bad'.*Standard Schema/,
    );
  });
});
