/**
 * The badge drawn at the left of each asset node: a filled circle in the status colour with a
 * white mark. Marks are SVG paths, not text glyphs, so they look the same whatever fonts the
 * browser has (headless Chromium in CI has very few).
 */
import type { AssetStatus } from './lineage-types';
import { STATUS_LOOKS } from './status-style';

const MARKS: Record<AssetStatus, string> = {
  FRESH:
    "<path d='M4.5 8.5l2.3 2.3 4.7-5' fill='none' stroke='white' stroke-width='2' stroke-linecap='round' stroke-linejoin='round'/>",
  STALE:
    "<path d='M4 9c1.3-2 2.7-2 4 0s2.7 2 4 0' fill='none' stroke='white' stroke-width='1.8' stroke-linecap='round'/>",
  RUNNING: "<path d='M6.3 4.8v6.4l5-3.2z' fill='white'/>",
  FAILED: "<path d='M5.3 5.3l5.4 5.4m0-5.4l-5.4 5.4' stroke='white' stroke-width='2' stroke-linecap='round'/>",
  LATE: "<path d='M8 4.2v4.6' stroke='white' stroke-width='2' stroke-linecap='round'/><circle cx='8' cy='11.4' r='1.1' fill='white'/>",
  NEVER_MATERIALIZED: "<circle cx='8' cy='8' r='2.6' fill='none' stroke='white' stroke-width='1.6'/>",
};

/** A data URI usable as a Cytoscape `background-image`. */
export function statusBadgeImage(status: AssetStatus): string {
  const svg =
    "<svg xmlns='http://www.w3.org/2000/svg' width='16' height='16' viewBox='0 0 16 16'>" +
    `<circle cx='8' cy='8' r='7.5' fill='${STATUS_LOOKS[status].border}'/>${MARKS[status]}</svg>`;
  return `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
}
