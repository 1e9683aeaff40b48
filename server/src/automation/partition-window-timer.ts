import type { AssetGraph } from '../graph/asset-graph.js';
import { partitionKeyAt, partitionWindow } from '../partitions/partition-keys.js';
import type { Clock } from '../runs/clock.js';
import { nodesOf } from '../sdk/automation.js';
import type { TimePartitions } from '../sdk/partitions.js';
import { RecurringTimers } from './recurring-timers.js';

export interface PartitionWindowTimerOptions {
  readonly graph: () => AssetGraph;
  readonly clock: Clock;
  /** Evaluates the asset's automation because a time window ended (`{ kind: 'window', end }`). */
  readonly onWindowEnd: (assetKey: string, end: Date) => Promise<unknown>;
  readonly log: (line: string) => void;
}

/** The time-partitioned assets sharing one partitions definition. */
interface WindowGroup {
  readonly partitions: TimePartitions;
  readonly assets: string[];
}

/**
 * Wakes the conditions that look for newly missing time partitions (`onMissing()`,
 * `newlyMissing()`) when a partition comes into existence, i.e. at the end of its window: one
 * timer per distinct time partitioning, set for its next window end, as `CronScheduler` does for
 * ticks. Without it `onMissing()` on a daily asset would only act when something else (an
 * upstream commit, a deploy) evaluated it. No polling: an idle deployment costs one timer per
 * distinct partitioning.
 */
export class PartitionWindowTimer {
  private readonly timers: RecurringTimers<WindowGroup>;

  constructor(private readonly options: PartitionWindowTimerOptions) {
    this.timers = new RecurringTimers({
      clock: options.clock,
      next: (group, after) => nextWindowEnd(group.partitions, after),
      fire: (key, _group, end) => options.onWindowEnd(key, end),
      describe: (key, end) => `window end of ${key} at ${end.toISOString()}`,
      log: options.log,
    });
  }

  async start(): Promise<void> {
    const groups = new Map<string, WindowGroup>();
    for (const definition of this.options.graph().definitions) {
      if (definition.kind !== 'asset' || definition.partitions?.kind !== 'time') continue;
      if (!nodesOf(definition.automation).some((node) => node.kind === 'newly_missing')) continue;
      const id = JSON.stringify(definition.partitions);
      const group = groups.get(id) ?? { partitions: definition.partitions, assets: [] };
      group.assets.push(definition.key);
      groups.set(id, group);
    }
    this.timers.start(groups, this.options.clock.now());
  }

  stop(): void {
    this.timers.stop();
  }

  /** Distinct time partitionings waiting for their next window end. */
  scheduled(): number {
    return this.timers.size;
  }
}

/** The end of the window containing `after` (strictly later than `after`): when its partition comes into existence. */
export function nextWindowEnd(partitions: TimePartitions, after: Date): Date {
  const end = partitionWindow(partitions, partitionKeyAt(partitions, after)).end;
  return end.getTime() > after.getTime() ? end : partitionWindow(partitions, partitionKeyAt(partitions, end)).end;
}
