/**
 * The messages between the lineage and its layout worker: sized leaf nodes and edges in, centre
 * positions out. Structured-clone friendly (plain objects and arrays only).
 */

export interface Point {
  x: number;
  y: number;
}

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
  /** The expanded group box this node is drawn in: its members are laid out together. */
  parent?: string;
}

export interface LayoutEdge {
  source: string;
  target: string;
}

export interface LayoutInput {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
}

/** Which algorithm placed the nodes: dagre for small graphs, the fast layered one for big ones. */
export type LayoutEngine = 'dagre' | 'layered' | 'mixed' | 'empty';

/** A rectangle by its centre, like Cytoscape node positions. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LayoutResult {
  /** Centre of every input node, in model coordinates. */
  positions: Record<string, Point>;
  /** The frame of every group with members (`LayoutNode.parent`), label band included. */
  boxes: Record<string, Box>;
  /** Everything laid out (nodes and frames), or null for an empty graph. */
  bounds: { x1: number; y1: number; x2: number; y2: number } | null;
  engine: LayoutEngine;
  /** Time spent computing (inside the worker when there is one). */
  durationMs: number;
}

export interface LayoutRequestMessage {
  id: number;
  input: LayoutInput;
}

export type LayoutResponseMessage = { id: number; result: LayoutResult } | { id: number; error: string };

/** A node of one layout unit (a group's members, or the top level). */
export interface SizedNode {
  id: string;
  width: number;
  height: number;
}

/** Centre positions of one unit, in a box whose top-left corner is (0, 0). */
export interface UnitLayout {
  positions: Map<string, Point>;
  width: number;
  height: number;
}

export interface Spacing {
  /** Horizontal gap between ranks (the graph flows left to right). */
  rankSep: number;
  /** Vertical gap between nodes of one rank. */
  nodeSep: number;
}

/** A function that lays out one unit; dagre and the layered engine both have this shape. */
export type UnitLayoutEngine = (
  nodes: readonly SizedNode[],
  edges: readonly LayoutEdge[],
  spacing: Spacing,
) => UnitLayout;
