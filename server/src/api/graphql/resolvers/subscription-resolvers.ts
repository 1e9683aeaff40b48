import { AsyncQueue } from '../../live/async-queue.js';
import { loadAssetStates } from '../../read-models/asset-states.js';
import type { AssetStatusChange } from '../../live/asset-status-feed.js';
import type { FeedEvent } from '../../live/event-feed.js';
import { listRunEvents } from '../../../storage/event-log.js';
import { apiError } from '../api-errors.js';
import type { GraphQLContext } from '../graphql-context.js';
import { assertArgumentsWithinLimits } from '../input-limits.plugin.js';
import { resolveRun } from './run-resolvers.js';

const REPLAY_LIMIT = 10_000;

export const subscriptionResolvers = {
  runEvents: {
    /**
     * Listens first, then replays what is stored after `afterId`, then passes live events on:
     * an event committed during the replay is delivered once (ids already sent are skipped).
     */
    subscribe: async (_: unknown, args: { runId: string; afterId?: string }, ctx: GraphQLContext) => {
      assertArgumentsWithinLimits('runEvents', args);
      if (args.afterId !== undefined && args.afterId !== null && !/^\d{1,19}$/.test(args.afterId))
        throw apiError('BAD_USER_INPUT', `'afterId' must be an event id (digits), got ${JSON.stringify(args.afterId)}`);
      const run = await resolveRun(ctx, args.runId);
      const sent = new Set<string>();
      let replaying = true;
      const held: FeedEvent[] = [];
      let stop = () => {};
      const queue = new AsyncQueue<FeedEvent>(() => stop());
      const deliver = (event: FeedEvent) => {
        if (sent.has(event.id)) return;
        sent.add(event.id);
        queue.push(event);
      };
      stop = await ctx.services.feed.subscribe((events) => {
        for (const event of events) {
          if (event.runId !== run.id) continue;
          if (replaying) held.push(event);
          else deliver(event);
        }
      });
      const stored = await listRunEvents(
        ctx.services.engine.dataSource.manager,
        run.id,
        args.afterId ?? undefined,
        REPLAY_LIMIT,
      );
      for (const event of stored) deliver(event);
      replaying = false;
      for (const event of held.splice(0)) deliver(event);
      return queue;
    },
    resolve: (event: FeedEvent) => event,
  },

  assetStatusChanged: {
    subscribe: async (_: unknown, args: { keys?: string[] }, ctx: GraphQLContext) => {
      assertArgumentsWithinLimits('assetStatusChanged', args);
      const graph = ctx.services.engine.graph;
      const unknown = (args.keys ?? []).filter((key) => !graph.has(key));
      if (unknown.length > 0) throw apiError('NOT_FOUND', `unknown asset(s): ${unknown.join(', ')}`);
      const wanted = args.keys?.length ? new Set(args.keys) : null;
      let stop = () => {};
      const queue = new AsyncQueue<AssetStatusChange>(() => stop());
      stop = await ctx.services.assetStatus.subscribe((changes) => {
        for (const change of changes) if (!wanted || wanted.has(change.assetKey)) queue.push(change);
      });
      // Named assets: their current status first (listening already, so no change is lost in
      // between), then each change.
      if (wanted) {
        const { engine } = ctx.services;
        const states = await loadAssetStates(engine.dataSource.manager, graph, engine.clock.now(), [...wanted]);
        const at = engine.clock.now();
        for (const [assetKey, state] of states) queue.push({ assetKey, status: state.status, at, runId: null });
      }
      return queue;
    },
    resolve: (change: AssetStatusChange) => change,
  },

  runsChanged: {
    subscribe: async (_: unknown, __: unknown, ctx: GraphQLContext) => {
      let stop = () => {};
      const queue = new AsyncQueue<{ runId: string; status: string; at: string }>(() => stop());
      const { dataSource } = ctx.services.engine;
      let chain = Promise.resolve();
      stop = await ctx.services.feed.subscribe((events) => {
        const runIds = [...new Set(events.filter((e) => e.runId && /^(run|step)\./.test(e.type)).map((e) => e.runId!))];
        if (runIds.length === 0) return;
        chain = chain
          .then(async () => {
            const rows: Array<{ id: string; status: string }> = await dataSource.query(
              `SELECT id, status FROM runs WHERE id = ANY($1::uuid[])`,
              [runIds],
            );
            const at = events.at(-1)!.createdAt;
            for (const row of rows) queue.push({ runId: row.id, status: row.status, at });
          })
          .catch((error: unknown) => console.error(`weir: runsChanged failed: ${(error as Error).message}`));
      });
      return queue;
    },
    resolve: (change: { runId: string; status: string; at: string }) => change,
  },
};
