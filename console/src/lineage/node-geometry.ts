/**
 * Sizes shared by the layout (which places boxes of these sizes) and the stylesheet (which draws
 * them), in model units. Kept apart from both so the page bundle does not pull in dagre.
 */
import type { Spacing } from './layout-types';

export const ASSET_NODE_SIZE = { width: 200, height: 40 } as const;
export const GROUP_NODE_SIZE = { width: 220, height: 56 } as const;

/** The compound box's padding around its members. */
export const GROUP_PADDING = 20;
/** Room above a group box for its label (Cytoscape draws it outside the box). */
export const GROUP_LABEL_SPACE = 26;

export const SPACING: Spacing = { rankSep: 72, nodeSep: 14 };
