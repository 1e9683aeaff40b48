import type { ProcessInfo } from '../api/api-tokens.js';
import type { WeirEngine } from '../engine/weir-engine.js';
import { freshnessAssets } from './freshness-metrics.js';
import type { MetricFamily } from './metric-families.js';
import { processMetrics } from './process-metrics.js';
import { executorJobs, queueDepth } from './queue-metrics.js';
import { runsByStatus } from './run-metrics.js';
import { stepDurations } from './step-duration-metrics.js';
import { triggerLatencies } from './trigger-latency-metrics.js';

/**
 * Every metric of `/metrics`, computed now from the database (nothing is kept between scrapes,
 * so any server behind a load balancer answers the same): six grouped queries, whatever the
 * number of assets or runs, plus the executor's own job counts.
 */
export async function collectMetrics(engine: WeirEngine, info: ProcessInfo): Promise<MetricFamily[]> {
  const manager = engine.dataSource.manager;
  const [runs, depth, jobs, durations, latencies, freshness] = await Promise.all([
    runsByStatus(manager),
    queueDepth(manager),
    executorJobs(engine.executor),
    stepDurations(manager, engine.clock.now()),
    triggerLatencies(manager),
    engine.freshness(),
  ]);
  return [
    ...processMetrics(info, engine.graph.keys.length),
    runs,
    depth,
    ...(jobs ? [jobs] : []),
    durations,
    freshnessAssets(freshness),
    latencies,
  ];
}
