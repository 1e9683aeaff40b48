import { formatByteSize } from '../sdk/byte-size.js';
import { formatDuration } from '../sdk/duration.js';
import type { GcReport } from './object-gc.js';

/**
 * One line for people: `deleted 3 orphaned objects (1.2 GiB); kept 10 referenced (40 MiB) and
 * 2 orphans younger than 24h (5 MiB); 15 objects scanned (1.25 GiB)`.
 */
export function summarizeGc(report: GcReport, safetyWindowMs: number): string {
  const verb = report.dryRun ? 'would delete' : 'deleted';
  const parts = [
    `${verb} ${count(report.deleted.count, 'orphaned object')} (${bytes(report.deleted.bytes)})`,
    `kept ${report.referenced.count} referenced (${bytes(report.referenced.bytes)}) and ${count(report.recent.count, 'orphan')} younger than ${formatDuration(safetyWindowMs)} (${bytes(report.recent.bytes)})`,
    `${count(report.scanned.count, 'object')} scanned (${bytes(report.scanned.bytes)})`,
  ];
  if (report.failed.count > 0)
    parts.push(`${report.failed.count} failed to delete, first: ${report.failed.firstError}`);
  return parts.join('; ');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function bytes(n: number): string {
  return formatByteSize(n);
}
