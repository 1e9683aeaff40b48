// The lineage's GraphQL documents against the server's schema (the contract).
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { typeDefs } from '../../../server/src/api/graphql/schema.graphql';
import * as assetDetail from '../../src/assets-detail/asset-detail-queries';
import * as lineage from '../../src/lineage/lineage-queries';

// The schema as served: the base document and its extensions (graphql-config.ts).
const schema = buildSchema(typeDefs);
const documents = Object.entries({ ...lineage, ...assetDetail }).filter(
  (entry): entry is [string, string] =>
    typeof entry[1] === 'string' && /^\s*(query|mutation|subscription)\b/.test(entry[1]),
);

describe('lineage and asset page queries', () => {
  it('finds the documents to check', () => {
    expect(documents.map(([name]) => name).sort()).toEqual([
      'ASSET_DETAIL_QUERY',
      'ASSET_MATERIALIZATIONS_QUERY',
      'ASSET_STATUS_SUBSCRIPTION',
      'DECISION_EVALUATION_QUERY',
      'LINEAGE_ASSET_SUMMARY_QUERY',
      'LINEAGE_GRAPH_QUERY',
      'LINEAGE_HASH_QUERY',
      'MATERIALIZE_MUTATION',
      'RUN_CONFIG_SCHEMAS_QUERY',
    ]);
  });

  it.each(documents)('%s is valid against the server schema', (_name, document) => {
    expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
  });
});
