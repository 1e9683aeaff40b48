import { automationTreeTypeDefs } from './automation-tree.graphql.js';
import { typeDefs } from './schema.graphql.js';

/**
 * Every part of the API's schema, in order (extensions after the types they extend): what the
 * server serves, and what tests that build the schema themselves must build (`.join('\n')`).
 */
export const apiTypeDefs: readonly string[] = [typeDefs, automationTreeTypeDefs];
