import { describe, expect, it } from 'vitest';
import { AssetGraph, collectDefinitions } from '../../src/graph/index.js';
import * as typed from './partitions.types.js';

// The type tests live in partitions.types.ts (checked by tsc); this makes sure the module loads,
// its assets form a valid graph, and each input resolves to the mapping its type promises.
describe('partitions.types.ts', () => {
  it('defines a valid graph whose inputs read one partition or many, as typed', () => {
    const graph = AssetGraph.build(collectDefinitions(typed as Record<string, unknown>));
    const mappings = (key: string) =>
      Object.fromEntries(graph.mappedInputsOf(key).map((input) => [input.name, input.mapping.kind]));
    expect(mappings('ptypes/days')).toEqual({ plain: 'latest' });
    expect(mappings('ptypes/same-day')).toEqual({ today: 'identity', alsoToday: 'identity', yesterday: 'time_window' });
    expect(mappings('ptypes/month')).toEqual({ days: 'many_to_one', week: 'many_to_one' });
    expect(mappings('ptypes/report')).toEqual({ days: 'all_partitions', regions: 'all_partitions' });
  });
});
