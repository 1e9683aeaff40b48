// The console's GraphQL documents are checked against the server's schema (the contract), so a
// renamed field fails here instead of in a stakeholder's browser.
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { typeDefs } from '../../../server/src/api/graphql/schema.graphql';
import * as backfills from '../../src/backfills/backfill-queries';
import * as freshness from '../../src/freshness/freshness-types';
import * as runs from '../../src/runs/run-queries';

const schema = buildSchema(typeDefs);
const documents = Object.entries({ ...runs, ...freshness, ...backfills }).filter(
  (entry): entry is [string, string] =>
    typeof entry[1] === 'string' && /^\s*(query|mutation|subscription)\b/.test(entry[1]),
);

describe('console queries', () => {
  it('finds the documents to check', () => {
    expect(documents.length).toBeGreaterThanOrEqual(11);
  });

  it.each(documents)('%s is valid against the server schema', (_name, document) => {
    const errors = validate(schema, parse(document));
    expect(errors.map((error) => error.message)).toEqual([]);
  });
});
