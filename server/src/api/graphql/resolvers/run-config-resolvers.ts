import { configJsonSchema } from '../../../runs/run-config.js';
import type { GraphQLContext } from '../graphql-context.js';

/** The assets of a selection that take run config, with their schemas (the console's Materialize form). */
export const runConfigQueryResolvers = {
  runConfigSchemas: (_: unknown, args: { selection: string }, ctx: GraphQLContext) => {
    const graph = ctx.services.engine.graph;
    return graph
      .select(args.selection)
      .filter((key) => {
        const definition = graph.get(key);
        return definition.kind === 'asset' && definition.config !== undefined;
      })
      .map((assetKey) => ({ assetKey, jsonSchema: configJsonSchema(graph, assetKey) }));
  },
};
