import type { DataSource } from 'typeorm';
import type { WeirConfig } from '../config/weir-config.js';
import type { OpenedWeir } from '../engine/open-weir.js';
import type { LeaderDuty } from '../engine/leader-duties.js';
import { PeriodicTask } from '../engine/periodic-task.js';
import type { ObjectStore } from '../io/object-store.port.js';
import { summarizeGc } from './gc-summary.js';
import { collectGarbage } from './object-gc.js';

/**
 * The leader's periodic `weir gc`: every `intervalMs`, orphaned objects older than the safety
 * window are deleted. One process at a time (the leader), so two servers never race the same
 * listing; a pass that fails is logged and the next one comes.
 */
export class ObjectGcDuty implements LeaderDuty {
  private readonly passes: PeriodicTask | undefined;
  private active = false;

  constructor(
    private readonly options: {
      dataSource: DataSource;
      store: ObjectStore;
      /** `undefined`: never (`WEIR_GC_INTERVAL=off`), and stores that cannot list or delete. */
      intervalMs: number | undefined;
      safetyWindowMs: number;
      log: (line: string) => void;
    },
  ) {
    const collectable = options.store.list !== undefined && options.store.delete !== undefined;
    this.passes =
      options.intervalMs !== undefined && collectable
        ? new PeriodicTask(() => this.pass(), {
            intervalMs: options.intervalMs,
            onError: (error) => options.log(`object gc failed: ${error.message}`),
          })
        : undefined;
  }

  async start(): Promise<void> {
    // After one interval, not at once: a leader that just took over should not start by listing
    // the whole store, and a dev restart loop should not either.
    this.passes?.start();
    this.active = this.passes !== undefined;
  }

  stop(): void {
    this.active = false;
    void this.passes?.stop();
  }

  /** 1 while it runs, so the leader loop does not restart the duties; 0 when disabled. */
  scheduled(): number {
    return this.active ? 1 : 0;
  }

  private async pass(): Promise<void> {
    const { dataSource, store, safetyWindowMs, log } = this.options;
    const report = await collectGarbage({ dataSource, store, safetyWindowMs });
    if (report.deleted.count > 0 || report.failed.count > 0) log(`object gc: ${summarizeGc(report, safetyWindowMs)}`);
  }
}

/** The duty for a process's configuration (`WEIR_GC_INTERVAL`, `WEIR_GC_SAFETY_WINDOW`). */
export function objectGcDuty(weir: OpenedWeir, config: WeirConfig, log: (line: string) => void): ObjectGcDuty {
  return new ObjectGcDuty({
    dataSource: weir.database.dataSource,
    store: weir.objectStore,
    intervalMs: config.gcIntervalMs,
    safetyWindowMs: config.gcSafetyWindowMs,
    log,
  });
}
