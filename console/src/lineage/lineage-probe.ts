/**
 * `window.__weirLineage`: what the benchmark and the end-to-end tests wait on and read. Not an
 * API for the console itself. Times are milliseconds since the document started loading
 * (`performance.now()`), so for a cold page load they include fetching the scripts and data.
 *
 * - `firstRenderMs`: Cytoscape drew the laid-out graph for the first time;
 * - `interactiveMs`: after that, an event sent through Cytoscape to a node was handled and the
 *   next frame painted, i.e. the graph responds to input;
 * - `ready` turns true at `interactiveMs`;
 * - `drawStartedMs` / `layoutDoneMs`: the graph data was handed to the wrapper / its layout came
 *   back, to tell network, layout and rendering costs apart.
 */
import type { Core } from 'cytoscape';
import { markRaw } from 'vue';

export interface LineageProbe {
  ready: boolean;
  firstRenderMs: number | null;
  interactiveMs: number | null;
  drawStartedMs: number | null;
  layoutDoneMs: number | null;
  nodeCount: number;
  edgeCount: number;
  layoutMs: number | null;
  layoutEngine: string | null;
  /** 'worker' or 'sync' (no worker available). */
  layoutMode: string | null;
  /** The Cytoscape instance, for tests that click nodes or read positions. */
  cy: Core | null;
}

/** What LineageGraph's `ready` event carries. */
export interface LineageReadyInfo {
  nodeCount: number;
  edgeCount: number;
  firstRenderMs: number;
  interactiveMs: number;
  layoutMs: number;
}

declare global {
  interface Window {
    __weirLineage?: LineageProbe;
  }
}

/** A fresh probe for a newly mounted lineage graph. */
export function resetLineageProbe(): LineageProbe {
  const probe: LineageProbe = {
    ready: false,
    firstRenderMs: null,
    interactiveMs: null,
    drawStartedMs: null,
    layoutDoneMs: null,
    nodeCount: 0,
    edgeCount: 0,
    layoutMs: null,
    layoutEngine: null,
    layoutMode: null,
    cy: null,
  };
  if (typeof window !== 'undefined') window.__weirLineage = probe;
  return probe;
}

export function attachCy(probe: LineageProbe, cy: Core | null): void {
  probe.cy = cy ? markRaw(cy) : null;
}
