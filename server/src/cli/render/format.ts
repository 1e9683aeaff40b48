import { formatDuration } from '../../sdk/duration.js';
import type { RunView, StepView } from '../../runs/run-queries.js';

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
export const green = paint(32);
export const red = paint(31);
export const yellow = paint(33);
export const dim = paint(2);
export const bold = paint(1);

/** An asset key, with the step's partition when it has one: `gold/daily_orders [2025-06-29]`. */
export function stepLabel(step: { assetKey: string; partitionKey: string }): string {
  return step.partitionKey === '' ? step.assetKey : `${step.assetKey} [${step.partitionKey}]`;
}

/** A status word coloured by meaning. */
export function statusLabel(status: string): string {
  if (status === 'succeeded') return green(status);
  if (status === 'failed') return red(status);
  if (status === 'retry_scheduled' || status === 'skipped' || status === 'canceled') return yellow(status);
  return status;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** How long something took or has been running. */
export function elapsed(startedAt: string | null, endedAt: string | null, now = Date.now()): string {
  if (!startedAt) return '';
  return formatDuration((endedAt ? Date.parse(endedAt) : now) - Date.parse(startedAt));
}

/** Where a step's output lives, briefly: `inline 1.2 KiB` or `file:///… (3.1 MiB)`. */
export function outputLabel(step: StepView): string {
  if (!step.output) return step.error ? red(truncate(step.error, 60)) : '';
  const size = formatBytes(step.output.size);
  return step.output.uri ? `${shortUri(step.output.uri)} (${size})` : `inline ${size}`;
}

/**
 * A URI shortened for a table cell: ids in the path are cut to 8 characters and only the
 * attempt folder and the object's name are kept. `weir logs` and `--json` print URIs whole.
 */
export function shortUri(uri: string): string {
  const scheme = /^[a-z0-9]+:\/\//.exec(uri)?.[0] ?? '';
  const parts = uri.slice(scheme.length).split('/');
  const attempt = parts.findLastIndex((part) => UUID.test(part));
  if (attempt < 0) return uri;
  return `${scheme}…/${parts[attempt]!.slice(0, 8)}/${parts.slice(attempt + 1).join('/')}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The user metadata of a step, as `rows=120 bytes=3.4KiB`, cut to fit a table. */
export function metadataLabel(step: StepView, max = 60): string {
  if (!step.output) return '';
  const text = Object.entries(step.output.metadata)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
  return truncate(text, max);
}

/**
 * The step's check results, e.g. `3/3 ✓`, or `2/3 ✗ no null ids` naming the failed checks
 * (red when one blocks, yellow when only warnings failed); empty when the asset has none.
 */
export function checksLabel(step: StepView, max = 40): string {
  if (step.checks.length === 0) return '';
  const failed = step.checks.filter((c) => !c.passed);
  const counts = `${step.checks.length - failed.length}/${step.checks.length}`;
  if (failed.length === 0) return green(`${counts} ✓`);
  const paintFailed = failed.some((c) => c.severity === 'error') ? red : yellow;
  return paintFailed(truncate(`${counts} ✗ ${failed.map((c) => c.name).join(', ')}`, max));
}

export function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** Counts of a run's steps by status. */
export function stepCounts(run: RunView): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const step of run.steps) counts[step.status] = (counts[step.status] ?? 0) + 1;
  return counts;
}

export const isFinished = (run: RunView) =>
  run.status === 'succeeded' || run.status === 'failed' || run.status === 'canceled';
