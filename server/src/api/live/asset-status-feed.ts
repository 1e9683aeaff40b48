import type { WeirEngine } from '../../engine/weir-engine.js';
import { loadAssetStates, type AssetStatus } from '../read-models/asset-states.js';
import type { EventFeed, FeedEvent } from './event-feed.js';

/** A change of an asset's lineage status. */
export interface AssetStatusChange {
  readonly assetKey: string;
  readonly status: AssetStatus;
  readonly at: Date | string;
  readonly runId: string | null;
}

export type AssetStatusListener = (changes: readonly AssetStatusChange[]) => void;

// Events after which an asset's status may differ.
const STATUS_EVENT = /^(step\.|freshness\.|asset\.observed|check\.)/;

/**
 * Turns committed events into asset status changes, once per process however many clients
 * subscribe: each batch of events costs one status computation of the assets it touched.
 */
export class AssetStatusFeed {
  private readonly listeners = new Set<AssetStatusListener>();
  private readonly known = new Map<string, AssetStatus>();
  private unsubscribe: (() => void) | null = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly engine: WeirEngine,
    private readonly events: EventFeed,
  ) {}

  async subscribe(listener: AssetStatusListener): Promise<() => void> {
    this.listeners.add(listener);
    this.unsubscribe ??= await this.events.subscribe((batch) => {
      this.chain = this.chain
        .then(() => this.onEvents(batch))
        .catch((error: unknown) => {
          console.error(`weir: computing asset status changes failed: ${(error as Error).message}`);
        });
    });
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.unsubscribe?.();
        this.unsubscribe = null;
        this.known.clear();
      }
    };
  }

  private async onEvents(batch: readonly FeedEvent[]): Promise<void> {
    const touched = new Map<string, FeedEvent>();
    for (const event of batch) {
      if (event.assetKey && STATUS_EVENT.test(event.type) && this.engine.graph.has(event.assetKey))
        touched.set(event.assetKey, event);
    }
    if (touched.size === 0 || this.listeners.size === 0) return;
    const states = await loadAssetStates(this.engine.dataSource.manager, this.engine.graph, this.engine.clock.now(), [
      ...touched.keys(),
    ]);
    const changes: AssetStatusChange[] = [];
    for (const [key, event] of touched) {
      const status = states.get(key)?.status;
      if (!status || this.known.get(key) === status) continue;
      this.known.set(key, status);
      changes.push({ assetKey: key, status, at: event.createdAt, runId: event.runId });
    }
    if (changes.length === 0) return;
    for (const listener of this.listeners) listener(changes);
  }
}
