import type { EntityManager } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import { planStepsIn } from '../runs/run-planner.js';
import type { AnyAsset } from '../sdk/asset.js';
import { cronConditionsOf, isLastHandledReset, nodesOf } from '../sdk/automation.js';
import { RunEntity } from '../storage/entities/run.entity.js';
import { appendEvents } from '../storage/event-log.js';
import { gatherFacts } from './automation-facts.js';
import { describeTrigger, requestFor, type ScheduleTick } from './automation-requests.js';
import { cronId } from './condition-operands.js';
import {
  conditionFingerprint,
  partitionsKindOf,
  readConditionState,
  readHandledCounts,
  readRoot,
  resetConditionState,
  writeConditionState,
} from './condition-state.js';
import { evaluateTree, nodeId, treeForPartition } from './condition-tree.js';
import type { ConditionState } from './condition-tree-types.js';
import type { EvaluationFacts, EvaluationTrigger, PendingEvent } from './evaluation-facts.js';
import { gatherPartitionFacts } from './partition-facts.js';

/** What one evaluation decided. */
export interface AutomationDecision {
  readonly assetKey: string;
  readonly requested: boolean;
  readonly runIds: readonly string[];
  readonly reasons: readonly string[];
  readonly consumedEventIds: readonly string[];
}

type Automated = AnyAsset & { readonly automation: NonNullable<AnyAsset['automation']> };

/**
 * Evaluates one asset's condition tree inside the caller's transaction (which holds the asset's
 * advisory lock): reads the durable state, gathers the facts, evaluates the tree purely, then
 * plans the runs, consumes the events they handle, stores the next state and records one
 * decision per partition evaluated, each with its evaluation tree in `data.tree`.
 */
export async function evaluateAssetIn(
  manager: EntityManager,
  graph: AssetGraph,
  definition: Automated,
  trigger: EvaluationTrigger,
  now: Date,
  snapshotId: string,
): Promise<AutomationDecision> {
  const assetKey = definition.key;
  const root = await readRoot(manager, assetKey);
  const fingerprint = conditionFingerprint(definition);
  const initial = !root || root.fingerprint !== fingerprint || root.partitionsKind !== partitionsKindOf(definition);
  // Events pending when the condition starts afresh arrived before it could act on them.
  const dismissed = initial ? await resetConditionState(manager, assetKey) : [];

  const gathered: ReadonlyArray<{ partitionKey: string; facts: EvaluationFacts }> = definition.partitions
    ? await gatherPartitionFacts(manager, graph, assetKey, trigger, now)
    : [{ partitionKey: '', facts: await gatherFacts(manager, graph, assetKey, trigger) }];
  const candidates = gathered.map((c) => c.partitionKey);
  const facts = new Map(gathered.map((c) => [c.partitionKey, c.facts] as const));
  const previous: ConditionState = initial ? new Map() : await readConditionState(manager, assetKey, candidates);
  const counts = new Map(await readHandledCounts(manager, assetKey, candidates));
  const cronTicks = { ...(root?.lastCronTicks ?? {}) };
  if (trigger.kind === 'cron') {
    for (const schedule of cronConditionsOf(definition.automation)) {
      const id = cronId(schedule);
      if (schedule.expression === trigger.expression && !(cronTicks[id] && new Date(cronTicks[id]) > trigger.tick))
        cronTicks[id] = trigger.tick.toISOString();
    }
  }
  const lastInboxId = initial ? 0 : (root?.lastInboxId ?? 0);
  const result = evaluateTree(definition.automation, {
    candidates,
    partitions: definition.partitions,
    facts,
    now,
    initial,
    previous,
    counts,
    cronTicks,
    lastInboxId,
  });

  const handledLatches = nodesOf(definition.automation)
    .filter((node) => node.kind === 'since' && isLastHandledReset(node.reset))
    .map(nodeId);
  const firstCron = cronConditionsOf(definition.automation)[0];
  const recorded = { condition: fingerprint, evaluatedAt: now.toISOString(), initialEvaluation: initial };
  const runIds: string[] = [];
  const consumed: string[] = [];
  const allReasons: string[] = [];
  const events = [];
  for (const partitionKey of candidates) {
    const pending = facts.get(partitionKey)!.pendingEvents;
    let reasons = [...(result.reasons.get(partitionKey) ?? [])];
    const partitionRuns: string[] = [];
    const partitionConsumed: string[] = [];
    if (result.truePartitions.has(partitionKey)) {
      const schedule: ScheduleTick | undefined =
        trigger.kind === 'cron'
          ? { expression: trigger.expression, tick: trigger.tick.toISOString() }
          : firstCron && cronTicks[cronId(firstCron)]
            ? { expression: firstCron.expression, tick: cronTicks[cronId(firstCron)]! }
            : undefined;
      const batches: ReadonlyArray<readonly PendingEvent[]> =
        result.runPerEvent.has(partitionKey) && pending.length > 0 ? pending.map((e) => [e]) : [pending];
      for (const batch of batches) {
        const request = requestFor(assetKey, partitionKey, trigger, batch, schedule);
        const existing = request.idempotencyKey
          ? await manager.getRepository(RunEntity).findOneBy({ idempotencyKey: request.idempotencyKey })
          : null;
        if (existing) {
          reasons = [...reasons, `already requested by run ${existing.id}`];
          continue;
        }
        const run = await planStepsIn(manager, graph, snapshotId, request, [{ assetKey, partitionKey }], new Map());
        partitionRuns.push(run.id);
        if (batch.length > 0) {
          const ids = batch.map((event) => event.id);
          await manager.query(
            `UPDATE automation_inbox SET consumed_by_run_id = $1, consumed_at = now()
              WHERE id = ANY($2::bigint[]) AND consumed_at IS NULL`,
            [run.id, ids],
          );
          partitionConsumed.push(...ids);
        }
      }
      // Requested: handled now, so its "since last handled" latches end in this evaluation.
      for (const id of handledLatches) result.next.get(id)?.delete(partitionKey);
      const c = counts.get(partitionKey);
      if (c) counts.set(partitionKey, { ...c, steps: c.steps + partitionRuns.length });
    }
    const requested = partitionRuns.length > 0;
    const shown = partitionKey === '' ? '' : `[${partitionKey}] `;
    events.push({
      type: requested ? 'automation.requested' : 'automation.declined',
      message: `${shown}${requested ? `requested ${partitionRuns.length} run(s)` : 'no run'}: ${reasons.join('; ')}`,
      assetKey,
      runId: partitionRuns[0] ?? null,
      data: {
        trigger: describeTrigger(trigger),
        reasons,
        runIds: partitionRuns,
        consumedEventIds: partitionConsumed,
        ...(dismissed.length > 0 ? { dismissedEventIds: dismissed } : {}),
        ...recorded,
        ...(partitionKey === '' ? {} : { partition: partitionKey }),
        tree: partitionKey === '' ? result.tree : treeForPartition(result.tree, partitionKey),
      },
    });
    runIds.push(...partitionRuns);
    consumed.push(...partitionConsumed);
    allReasons.push(...reasons.map((reason) => `${shown}${reason}`));
  }
  if (candidates.length === 0) {
    const reasons = [
      trigger.kind === 'cron'
        ? `no partition is complete at the tick ${trigger.tick.toISOString()}`
        : 'no partition concerned (no pending event maps to a partition in the set yet)',
    ];
    allReasons.push(...reasons);
    events.push({
      type: 'automation.declined',
      message: `no run: ${reasons.join('; ')}`,
      assetKey,
      data: {
        trigger: describeTrigger(trigger),
        reasons,
        runIds: [],
        consumedEventIds: [],
        ...(dismissed.length > 0 ? { dismissedEventIds: dismissed } : {}),
        ...recorded,
        tree: result.tree,
      },
    });
  }
  const seenIds = [...facts.values()].flatMap((f) => f.pendingEvents.map((e) => Number(e.id)));
  await writeConditionState(manager, definition, candidates, result.next, counts, {
    evaluatedAt: now,
    lastCronTicks: cronTicks,
    lastInboxId: Math.max(lastInboxId, ...seenIds),
  });
  await appendEvents(manager, events);
  return { assetKey, requested: runIds.length > 0, runIds, reasons: allReasons, consumedEventIds: consumed };
}
