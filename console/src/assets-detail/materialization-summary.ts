/** Short words for a materialization's output and metadata, for one table row. */
import { formatBytes } from '../runs/format-bytes';
import { formatMetric } from './chart-path';
import type { MaterializationRow } from './asset-detail-queries';

/** Up to `limit` metadata entries as "name: value" (numbers compacted, objects skipped). */
export function metadataSummary(metadata: Record<string, unknown>, limit = 3): string[] {
  const entries: string[] = [];
  for (const [name, value] of Object.entries(metadata ?? {})) {
    if (entries.length >= limit) break;
    if (typeof value === 'number') entries.push(`${name}: ${formatMetric(value)}`);
    else if (typeof value === 'string' && value.length <= 40) entries.push(`${name}: ${value}`);
    else if (typeof value === 'boolean') entries.push(`${name}: ${value ? 'yes' : 'no'}`);
  }
  return entries;
}

/** "2.0 KB inline" or "14 MB in the object store". */
export function outputSummary(output: MaterializationRow['output']): string {
  return `${formatBytes(output.size)} ${output.uri ? 'in the object store' : 'inline'}`;
}

/** "2 of 3 passed", or "" without checks. */
export function checksSummary(checks: MaterializationRow['checks']): string {
  if (checks.length === 0) return '';
  const passed = checks.filter((check) => check.passed).length;
  return `${passed} of ${checks.length} passed`;
}
