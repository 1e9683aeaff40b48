import type { EntityManager } from 'typeorm';
import { redactSecrets } from '../sdk/redact.js';
import { EventEntity, type EventLevel } from './entities/event.entity.js';
import type { JsonObject } from './json-value.js';

/** A line to append to the event log. */
export interface NewEvent {
  readonly type: string;
  readonly message: string;
  readonly level?: EventLevel;
  readonly runId?: string | null;
  readonly stepId?: string | null;
  readonly attemptId?: string | null;
  readonly assetKey?: string | null;
  readonly data?: Record<string, unknown>;
}

/** An event as the API and CLI show it. */
export interface EventView {
  readonly id: string;
  readonly createdAt: string;
  readonly type: string;
  readonly level: EventLevel;
  readonly message: string;
  readonly runId: string | null;
  readonly stepId: string | null;
  readonly attemptId: string | null;
  readonly assetKey: string | null;
  readonly data: Record<string, unknown>;
}

/**
 * Appends events inside the caller's transaction, so they commit with the change they describe.
 * Secrets this process knows (resources' `secret()` values) are redacted: the last line of
 * defence, isolates redact what they send already.
 */
export async function appendEvents(manager: EntityManager, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await manager.insert(
    EventEntity,
    events.map(redactSecrets).map((event) => ({
      type: event.type,
      message: event.message,
      level: event.level ?? 'info',
      runId: event.runId ?? null,
      stepId: event.stepId ?? null,
      attemptId: event.attemptId ?? null,
      assetKey: event.assetKey ?? null,
      data: (event.data ?? {}) as JsonObject,
    })),
  );
}

export function toEventView(row: EventEntity): EventView {
  return {
    // pg returns bigint as a string, PGlite as a number: normalize to string.
    id: String(row.id),
    createdAt: row.createdAt.toISOString(),
    type: row.type,
    level: row.level,
    message: row.message,
    runId: row.runId,
    stepId: row.stepId,
    attemptId: row.attemptId,
    assetKey: row.assetKey,
    data: row.data,
  };
}

/**
 * Events of a run in order, optionally only those after `afterId` (for following a live run)
 * and of the given types.
 */
export async function listRunEvents(
  manager: EntityManager,
  runId: string,
  afterId?: string,
  limit = 10_000,
  types?: readonly string[],
): Promise<EventView[]> {
  const query = manager
    .getRepository(EventEntity)
    .createQueryBuilder('e')
    .where('e.run_id = :runId', { runId })
    .orderBy('e.id', 'ASC')
    .limit(limit);
  if (afterId !== undefined) query.andWhere('e.id > :afterId', { afterId });
  if (types?.length) query.andWhere('e.type IN (:...types)', { types });
  return (await query.getMany()).map(toEventView);
}

/** Every event after `afterId`, in id order (what live subscriptions tail). */
export async function listEventsAfter(manager: EntityManager, afterId: string, limit: number): Promise<EventView[]> {
  const rows = await manager
    .getRepository(EventEntity)
    .createQueryBuilder('e')
    .where('e.id > :afterId', { afterId })
    .orderBy('e.id', 'ASC')
    .limit(limit)
    .getMany();
  return rows.map(toEventView);
}
