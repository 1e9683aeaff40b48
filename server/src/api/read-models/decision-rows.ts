import { evaluationRows, type EvaluationRow } from './evaluation-rows.js';

/** A decision event (`automation.requested` / `automation.declined`) as read from `event_log`. */
export interface DecisionEventRow {
  readonly id: string;
  readonly created_at: Date | string;
  readonly type: string;
  readonly run_id: string | null;
  readonly data: Record<string, unknown>;
}

/** The columns {@link toAutomationDecision} reads, for `SELECT … FROM event_log`. */
export const DECISION_COLUMNS = 'id::text AS id, created_at, type, run_id, data';
export const DECISION_TYPES = `('automation.requested', 'automation.declined')`;

/** An automation decision as the API returns it. */
export interface AutomationDecisionView {
  readonly id: string;
  readonly at: Date;
  readonly requested: boolean;
  readonly reasons: string[];
  readonly runId: string | null;
  readonly partition: string | null;
  readonly trigger: string | null;
  readonly evaluation: EvaluationRow[] | null;
}

export function toAutomationDecision(row: DecisionEventRow): AutomationDecisionView {
  const { data } = row;
  return {
    id: row.id,
    at: new Date(row.created_at),
    requested: row.type === 'automation.requested',
    reasons: Array.isArray(data.reasons) ? data.reasons.map(String) : [],
    runId: row.run_id ?? (Array.isArray(data.runIds) ? ((data.runIds[0] as string) ?? null) : null),
    partition: (data.partition as string | undefined) ?? null,
    trigger: data.trigger === undefined ? null : JSON.stringify(data.trigger).replace(/^"|"$/g, ''),
    evaluation: evaluationRows(data.tree),
  };
}
