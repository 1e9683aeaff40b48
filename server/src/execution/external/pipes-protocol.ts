import type { MetadataValue } from '../../sdk/context.js';
import type { ReportedCheck } from '../../sdk/exec.js';
import type { EventLevel } from '../../storage/entities/event.entity.js';

/*
 * The protocol an external process speaks to Weir (version 1). One JSON object per line, on the
 * file descriptor named by WEIR_PIPES_FD (3: a pipe Weir opens for it), or, where that
 * descriptor cannot reach the process (a wrapper closed it, a container, ssh), on stdout or
 * stderr behind the prefix PIPES_PREFIX. Documented for users in the README.
 */

export const PIPES_VERSION = '1';
/** The descriptor Weir opens as the process's message pipe. */
export const PIPES_FD = 3;
/** A stdout/stderr line starting with this is read as a message too, not logged. */
export const PIPES_PREFIX = '@@weir ';

/** One message from the process, validated. */
export type PipesMessage =
  | {
      readonly type: 'log';
      readonly level: EventLevel;
      readonly message: string;
      readonly fields: Record<string, unknown>;
    }
  | { readonly type: 'metadata'; readonly values: Record<string, MetadataValue> }
  | { readonly type: 'check'; readonly check: ReportedCheck }
  | {
      readonly type: 'progress';
      readonly done: number;
      readonly total: number | null;
      readonly message: string | null;
    };

const LEVELS: readonly EventLevel[] = ['debug', 'info', 'warn', 'error'];

/** Parses one protocol line; a string is what is wrong with it (logged as a warning, never fatal). */
export function parsePipesMessage(line: string): PipesMessage | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return 'not a JSON object';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'not a JSON object';
  const message = parsed as Record<string, unknown>;
  switch (message.type) {
    case 'log': {
      const level = message.level ?? 'info';
      if (!LEVELS.includes(level as EventLevel))
        return `log level ${JSON.stringify(level)} is not one of ${LEVELS.join(', ')}`;
      if (typeof message.message !== 'string') return "a log message needs a string 'message'";
      return { type: 'log', level: level as EventLevel, message: message.message, fields: objectOr(message.fields) };
    }
    case 'metadata': {
      const values = metadataOf(message.values, 'metadata');
      return typeof values === 'string' ? values : { type: 'metadata', values };
    }
    case 'check': {
      if (typeof message.name !== 'string' || message.name.trim() === '') return "a check needs a non-empty 'name'";
      if (typeof message.passed !== 'boolean') return `check '${message.name}' needs a boolean 'passed'`;
      const severity = message.severity ?? 'error';
      if (severity !== 'warn' && severity !== 'error') {
        return `check '${message.name}' has severity ${JSON.stringify(severity)}: use 'warn' or 'error'`;
      }
      const metadata = metadataOf(message.metadata ?? {}, `check '${message.name}' metadata`);
      if (typeof metadata === 'string') return metadata;
      const text = message.message === undefined || message.message === null ? null : String(message.message);
      return {
        type: 'check',
        check: { name: message.name, passed: message.passed, severity, message: text, metadata },
      };
    }
    case 'progress': {
      if (typeof message.done !== 'number' || !Number.isFinite(message.done)) return "progress needs a number 'done'";
      const total = typeof message.total === 'number' && message.total > 0 ? message.total : null;
      const text = typeof message.message === 'string' ? message.message : null;
      return { type: 'progress', done: message.done, total, message: text };
    }
    default:
      return `unknown message type ${JSON.stringify(message.type)} (expected log, metadata, check or progress)`;
  }
}

/** The log line a progress message becomes, e.g. `progress 3/10 (30%): loading`. */
export function progressLine(progress: Extract<PipesMessage, { type: 'progress' }>): string {
  const figure =
    progress.total === null
      ? `${progress.done}`
      : `${progress.done}/${progress.total} (${Math.round((100 * progress.done) / progress.total)}%)`;
  return `progress ${figure}${progress.message ? `: ${progress.message}` : ''}`;
}

function metadataOf(values: unknown, what: string): Record<string, MetadataValue> | string {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return `${what} must be an object`;
  const result: Record<string, MetadataValue> = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean') {
      return `${what} '${key}' must be a number, string or boolean (got ${value === null ? 'null' : typeof value})`;
    }
    result[key] = value;
  }
  return result;
}

function objectOr(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
