/**
 * The Cytoscape stylesheet of the lineage. Status is shown by fill, border and badge; focus and
 * search by classes the graph wrapper toggles in one batch. Big graphs get the cheap variants:
 * haystack edges without arrows (the flow is left to right anyway), no badges, and labels that
 * disappear when they would be too small to read (`min-zoomed-font-size`).
 */
import { ASSET_NODE_SIZE, GROUP_LABEL_SPACE, GROUP_NODE_SIZE } from './node-geometry';
import { statusBadgeImage } from './status-badges';
import { STATUS_LOOKS, STATUS_PRIORITY, statusClass } from './status-style';

/** One rule; the style names are Cytoscape's (the published types lag behind the library). */
export interface StyleRule {
  selector: string;
  style: Record<string, string | number>;
}

const ACCENT = '#2457c5';
const FOCUS = '#f59e0b';
const EDGE = '#9aa4af';
const TEXT = '#1c2430';
const MUTED = '#5a6675';
/** Frames under edges under nodes: z-index alone decides (see the 'node, edge' rule). */
const Z_EDGE = 1;
const Z_NODE = 2;

export interface StylesheetOptions {
  /** Thousands of elements: trade decoration for frame rate. */
  large: boolean;
}

export function buildStylesheet({ large }: StylesheetOptions): StyleRule[] {
  const rules: StyleRule[] = [
    { selector: 'node, edge', style: { 'z-index-compare': 'manual', 'z-index': Z_NODE } },
    {
      selector: 'node.asset',
      style: {
        shape: 'round-rectangle',
        width: ASSET_NODE_SIZE.width,
        height: ASSET_NODE_SIZE.height,
        'border-width': 2,
        label: 'data(label)',
        'font-size': 13,
        'font-family': 'system-ui, sans-serif',
        color: TEXT,
        'text-valign': 'center',
        'text-halign': 'center',
        'text-margin-x': large ? 0 : 9,
        'min-zoomed-font-size': 9,
      },
    },
    { selector: 'node.asset.source', style: { 'border-style': 'dashed' } },
    {
      // Drawn behind everything; sized by the layout (data width/height includes the label band).
      selector: 'node.group-frame',
      style: {
        shape: 'round-rectangle',
        width: 'data(width)',
        height: 'data(height)',
        'background-color': '#f5f7fa',
        'border-width': 1,
        'border-color': '#c3cbd5',
        label: 'data(label)',
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-y': GROUP_LABEL_SPACE - 4,
        'font-size': 15,
        'font-weight': 'bold',
        color: MUTED,
        'min-zoomed-font-size': 5,
        'z-index': 0,
      },
    },
    {
      selector: 'node.group-collapsed',
      style: {
        shape: 'round-rectangle',
        width: GROUP_NODE_SIZE.width,
        height: GROUP_NODE_SIZE.height,
        'border-width': 3,
        'border-style': 'double',
        label: 'data(label)',
        'font-size': 14,
        'font-weight': 'bold',
        color: TEXT,
        'text-valign': 'center',
        'text-halign': 'center',
        'min-zoomed-font-size': 5,
      },
    },
    ...STATUS_PRIORITY.map((status) => ({
      selector: `node.${statusClass(status)}`,
      style: {
        'background-color': STATUS_LOOKS[status].fill,
        'border-color': STATUS_LOOKS[status].border,
        ...(large
          ? {}
          : {
              'background-image': statusBadgeImage(status),
              'background-width': '16px',
              'background-height': '16px',
              'background-position-x': '10px',
              'background-position-y': '50%',
              'background-clip': 'none',
              'background-image-containment': 'over',
            }),
      },
    })),
    {
      selector: 'edge',
      style: large
        ? { width: 1, 'line-color': EDGE, 'curve-style': 'haystack', 'haystack-radius': 0, 'z-index': Z_EDGE }
        : {
            'z-index': Z_EDGE,
            width: 1.5,
            'line-color': EDGE,
            'curve-style': 'bezier',
            'target-arrow-shape': 'triangle',
            'target-arrow-color': EDGE,
            'arrow-scale': 0.9,
          },
    },
    { selector: 'edge.merged', style: { width: 'mapData(count, 2, 40, 2, 6)' } },
    // Search: matches get a halo, the rest fade a little (focus fades harder).
    { selector: '.search-miss', style: { opacity: 0.35 } },
    {
      selector: 'node.search-match',
      style: { 'underlay-color': FOCUS, 'underlay-padding': 8, 'underlay-opacity': 0.45 },
    },
    { selector: '.dimmed', style: { opacity: 0.12 } },
    { selector: 'node.in-focus-path', style: { 'border-width': 3 } },
    {
      selector: 'edge.in-focus-path',
      style: { 'line-color': ACCENT, 'target-arrow-color': ACCENT, width: 2.5 },
    },
    {
      selector: 'node.focused',
      style: {
        'border-width': 4,
        'border-color': FOCUS,
        'underlay-color': FOCUS,
        'underlay-padding': 6,
        'underlay-opacity': 0.3,
      },
    },
    // Where keyboard navigation stands: a ring unlike any status or focus style.
    {
      selector: 'node.keyboard-focus',
      style: {
        'outline-width': 3,
        'outline-color': ACCENT,
        'outline-offset': 4,
        'outline-style': 'solid',
        'underlay-color': ACCENT,
        'underlay-padding': 10,
        'underlay-opacity': 0.25,
      },
    },
  ];
  return rules;
}
