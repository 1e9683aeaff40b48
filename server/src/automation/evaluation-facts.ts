/** One pending upstream event (a materialization or an observation) for the evaluated asset. */
export interface PendingEvent {
  readonly id: string;
  readonly upstreamKey: string;
  readonly at: Date;
}

/** What triggered this evaluation. */
export type EvaluationTrigger =
  | { readonly kind: 'upstream' }
  | { readonly kind: 'cron'; readonly expression: string; readonly tick: Date }
  | { readonly kind: 'deploy' }
  /** A time partition's window ended (the partition-boundary timer): "newly missing" may hold now. */
  | { readonly kind: 'window'; readonly end: Date };

/** Everything a condition can look at, gathered before evaluating (the tree is evaluated purely from them: `condition-tree.ts`). */
export interface EvaluationFacts {
  readonly assetKey: string;
  readonly trigger: EvaluationTrigger;
  readonly upstreamKeys: readonly string[];
  readonly pendingEvents: readonly PendingEvent[];
  /** Upstreams never materialized (or observed, for sources). */
  readonly missingUpstreams: readonly string[];
  /** Upstreams with a step queued, running or waiting to retry. */
  readonly upstreamsInProgress: readonly string[];
  readonly selfMissing: boolean;
  readonly selfInProgress: boolean;
  readonly codeVersion: string | undefined;
  /** Code version of the asset's latest materialization (undefined when none). */
  readonly materializedCodeVersion: string | undefined;
}
