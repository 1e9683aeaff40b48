import type { DynamicModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { AssetStatusFeed } from '../live/asset-status-feed.js';
import { EventFeed } from '../live/event-feed.js';
import { graphqlConfig, type GraphQLApiOptions } from './graphql-config.js';
import type { ApiServices } from './graphql-context.js';

/** The `/graphql` endpoint of one process, with the live feeds its subscriptions read. */
export interface GraphQLApi {
  readonly module: DynamicModule;
  readonly feed: EventFeed;
  close(): void;
}

/**
 * Builds the GraphQL module for a process. Live feeds tail the event log (steps may commit
 * on other machines); this process's own commits wake them at once.
 */
export function createGraphQLApi(
  services: Omit<ApiServices, 'feed' | 'assetStatus'>,
  options: GraphQLApiOptions & { pollMs?: number } = {},
): GraphQLApi {
  const feed = new EventFeed(services.engine.dataSource, { pollMs: options.pollMs });
  const assetStatus = new AssetStatusFeed(services.engine, feed);
  const wake = () => feed.wake();
  services.engine.on('run-updated', wake);
  services.engine.on('materialized', wake);
  const module = GraphQLModule.forRoot<ApolloDriverConfig>(graphqlConfig({ ...services, feed, assetStatus }, options));
  return {
    module,
    feed,
    close: () => {
      services.engine.off('run-updated', wake);
      services.engine.off('materialized', wake);
      feed.stop();
    },
  };
}
