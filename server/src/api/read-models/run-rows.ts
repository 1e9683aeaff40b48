/** A run as the GraphQL API returns it (field names are the schema's). */
export interface RunRow {
  readonly id: string;
  readonly status: string;
  readonly trigger: string;
  readonly triggerDetail: unknown;
  readonly config: unknown;
  readonly selection: string;
  readonly parentRunId: string | null;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly endedAt: Date | null;
  /** created_at as PostgreSQL prints it (microseconds): the exact keyset position. */
  readonly cursorAt: string;
}

export const RUN_COLUMNS = `r.id, r.status, r.trigger, r.trigger_detail, r.config, r.selection, r.parent_run_id,
  r.created_at, r.created_at::text AS cursor_at, r.started_at, r.ended_at`;

export interface RawRunRow {
  id: string;
  status: string;
  trigger: string;
  trigger_detail: unknown;
  config: unknown;
  selection: string;
  parent_run_id: string | null;
  created_at: Date | string;
  cursor_at: string;
  started_at: Date | string | null;
  ended_at: Date | string | null;
}

const date = (value: Date | string | null) => (value === null ? null : new Date(value));

export function toRunRow(raw: RawRunRow): RunRow {
  return {
    id: raw.id,
    status: raw.status,
    trigger: raw.trigger,
    triggerDetail: raw.trigger_detail ?? {},
    config: raw.config ?? null,
    selection: raw.selection,
    parentRunId: raw.parent_run_id,
    createdAt: new Date(raw.created_at),
    startedAt: date(raw.started_at),
    endedAt: date(raw.ended_at),
    cursorAt: raw.cursor_at,
  };
}
