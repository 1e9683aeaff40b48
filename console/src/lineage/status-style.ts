/**
 * What each asset status looks like on the lineage: the colours come from the console's shared
 * tokens (the same green/amber/blue/red/purple/grey as StatusBadge), and a glyph gives every
 * status a second, non-colour cue for colour-blind readers and greyscale screenshots.
 */
import type { AssetStatus } from './lineage-types';

/** Most urgent first, as the schema documents: a collapsed group shows its most urgent member. */
export const STATUS_PRIORITY: readonly AssetStatus[] = [
  'RUNNING',
  'FAILED',
  'LATE',
  'NEVER_MATERIALIZED',
  'STALE',
  'FRESH',
];

export interface StatusLook {
  /** Plain words, for labels and screen readers. */
  label: string;
  fill: string;
  border: string;
  text: string;
  /** A one-character badge drawn on the node. */
  glyph: string;
}

// Hex values mirror styles/tokens.css: the canvas cannot read CSS variables cheaply per node.
export const STATUS_LOOKS: Record<AssetStatus, StatusLook> = {
  FRESH: { label: 'Fresh', fill: '#e5f5ea', border: '#2f9e57', text: '#17703a', glyph: '✓' },
  STALE: { label: 'Stale', fill: '#fff4dc', border: '#e2a02b', text: '#8a5300', glyph: '~' },
  RUNNING: { label: 'Running', fill: '#e6eefc', border: '#3b73e0', text: '#1d4fb8', glyph: '▶' },
  FAILED: { label: 'Failed', fill: '#fdecea', border: '#d93a2f', text: '#b3261e', glyph: '✕' },
  LATE: { label: 'Late', fill: '#f3eafc', border: '#8a48cc', text: '#6b2fa8', glyph: '!' },
  NEVER_MATERIALIZED: { label: 'Never materialized', fill: '#eef0f3', border: '#9aa4af', text: '#59636e', glyph: '○' },
};

const KNOWN = new Set<string>(STATUS_PRIORITY);

/** Unknown values (a newer server) are shown as never materialized rather than breaking the graph. */
export function normalizeStatus(value: string): AssetStatus {
  return KNOWN.has(value) ? (value as AssetStatus) : 'NEVER_MATERIALIZED';
}

/** The Cytoscape class of a status: `status-never-materialized`. */
export function statusClass(status: AssetStatus): string {
  return `status-${status.toLowerCase().replace(/_/g, '-')}`;
}

export const ALL_STATUS_CLASSES = STATUS_PRIORITY.map(statusClass).join(' ');

/** The most urgent of several statuses (FRESH for none). */
export function mostUrgent(statuses: Iterable<AssetStatus>): AssetStatus {
  let best = STATUS_PRIORITY.length - 1;
  for (const status of statuses) {
    const rank = STATUS_PRIORITY.indexOf(status);
    if (rank >= 0 && rank < best) best = rank;
    if (best === 0) break;
  }
  return STATUS_PRIORITY[best]!;
}
