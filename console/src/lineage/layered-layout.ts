/**
 * A fast layered (Sugiyama-style) layout for big graphs, left to right. dagre gives nicer
 * drawings but its network-simplex ranking and unbounded crossing-reduction loop take seconds to
 * minutes past a few hundred nodes (measured: 1,000 assets ≈ 2–100 s depending on shape), which
 * is the "lineage hangs" users complain about in other tools. This engine does the same phases
 * with bounded work — O((V + E) · passes):
 *
 * 1. break cycles (reverse DFS back edges), 2. rank by longest path from the sources, then pull
 * each source next to its first consumer, 3. order each rank by a fixed number of barycenter
 * sweeps, 4. place nodes vertically near the mean of their neighbours while keeping the order and
 * the minimum gaps (an isotonic regression per rank, solved exactly by pool-adjacent-violators).
 *
 * Long edges get no dummy nodes: they may cross nodes, which is acceptable at this scale.
 * Weakly connected components are laid out separately and stacked; lone nodes go in a grid.
 */
import type { LayoutEdge, Point, SizedNode, Spacing, UnitLayout } from './layout-types';

const COMPONENT_GAP_FACTOR = 2;

export function layeredLayout(nodes: readonly SizedNode[], edges: readonly LayoutEdge[], spacing: Spacing): UnitLayout {
  const n = nodes.length;
  const positions = new Map<string, Point>();
  if (n === 0) return { positions, width: 0, height: 0 };

  const { succ, pred } = adjacency(nodes, edges);
  const components = weakComponents(n, succ);
  const componentGap = spacing.nodeSep * COMPONENT_GAP_FACTOR;

  let top = 0;
  let width = 0;
  const loners: number[] = [];
  const local = new Int32Array(n).fill(-1);
  for (const members of components) {
    if (members.length === 1) {
      loners.push(members[0]!);
      continue;
    }
    const placed = layoutComponent(members, succ, pred, nodes, spacing, local);
    members.forEach((node, i) => positions.set(nodes[node]!.id, { x: placed.xs[i]!, y: top + placed.ys[i]! }));
    top += placed.height + componentGap;
    width = Math.max(width, placed.width);
  }

  if (loners.length > 0) {
    const grid = placeInGrid(loners, nodes, spacing);
    loners.forEach((node, i) => positions.set(nodes[node]!.id, { x: grid.xs[i]!, y: top + grid.ys[i]! }));
    top += grid.height + componentGap;
    width = Math.max(width, grid.width);
  }
  return { positions, width, height: Math.max(0, top - componentGap) };
}

function adjacency(nodes: readonly SizedNode[], edges: readonly LayoutEdge[]) {
  const n = nodes.length;
  const index = new Map<string, number>();
  nodes.forEach((node, i) => index.set(node.id, i));
  const succ: number[][] = Array.from({ length: n }, () => []);
  const pred: number[][] = Array.from({ length: n }, () => []);
  const seen = new Set<number>();
  for (const edge of edges) {
    const s = index.get(edge.source);
    const t = index.get(edge.target);
    if (s === undefined || t === undefined || s === t) continue;
    const key = s * n + t;
    if (seen.has(key)) continue;
    seen.add(key);
    succ[s]!.push(t);
    pred[t]!.push(s);
  }
  return { succ, pred };
}

function weakComponents(n: number, succ: number[][]): number[][] {
  const parent = new Int32Array(n).map((_, i) => i);
  const find = (v: number): number => {
    while (parent[v] !== v) {
      parent[v] = parent[parent[v]!]!;
      v = parent[v]!;
    }
    return v;
  };
  succ.forEach((targets, s) => targets.forEach((t) => (parent[find(s)] = find(t))));
  const byRoot = new Map<number, number[]>();
  for (let v = 0; v < n; v++) {
    const root = find(v);
    const list = byRoot.get(root);
    if (list) list.push(v);
    else byRoot.set(root, [v]);
  }
  // Biggest first: the main pipeline on top, small islands below it.
  return [...byRoot.values()].sort((a, b) => b.length - a.length);
}

interface PlacedComponent {
  xs: Float64Array;
  ys: Float64Array;
  width: number;
  height: number;
}

function layoutComponent(
  members: number[],
  succ: number[][],
  pred: number[][],
  nodes: readonly SizedNode[],
  spacing: Spacing,
  local: Int32Array,
): PlacedComponent {
  const m = members.length;
  members.forEach((node, i) => (local[node] = i));
  const out: number[][] = members.map((node) => succ[node]!.map((t) => local[t]!));
  const heights = Float64Array.from(members, (node) => nodes[node]!.height);
  const widths = Float64Array.from(members, (node) => nodes[node]!.width);

  const { down, up } = acyclicEdges(out);
  const rank = rankNodes(down, up);
  const layers = initialOrder(rank, down);
  sweepOrder(layers, down, up, m > 2_000 ? 4 : 8);
  const ys = placeVertically(layers, down, up, heights, spacing.nodeSep);
  const { xs, width } = placeHorizontally(layers, widths, spacing.rankSep, m);

  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < m; i++) {
    minY = Math.min(minY, ys[i]! - heights[i]! / 2);
    maxY = Math.max(maxY, ys[i]! + heights[i]! / 2);
  }
  for (let i = 0; i < m; i++) ys[i]! -= minY;
  members.forEach((node) => (local[node] = -1));
  // Keep the member order of `members`: xs/ys are indexed like it.
  return { xs, ys, width, height: maxY - minY };
}

/** Successor/predecessor lists with DFS back edges reversed, so the graph is acyclic. */
function acyclicEdges(out: number[][]): { down: number[][]; up: number[][] } {
  const m = out.length;
  const state = new Uint8Array(m); // 0 new, 1 on the DFS stack, 2 done
  const down: number[][] = Array.from({ length: m }, () => []);
  const up: number[][] = Array.from({ length: m }, () => []);
  const addEdge = (s: number, t: number) => {
    down[s]!.push(t);
    up[t]!.push(s);
  };
  const stack: number[] = [];
  const next = new Int32Array(m);
  for (let start = 0; start < m; start++) {
    if (state[start] !== 0) continue;
    stack.push(start);
    state[start] = 1;
    while (stack.length > 0) {
      const v = stack[stack.length - 1]!;
      const targets = out[v]!;
      if (next[v]! < targets.length) {
        const w = targets[next[v]!++]!;
        if (state[w] === 1) addEdge(w, v);
        else {
          addEdge(v, w);
          if (state[w] === 0) {
            state[w] = 1;
            stack.push(w);
          }
        }
      } else {
        state[v] = 2;
        stack.pop();
      }
    }
  }
  return { down, up };
}

/** Longest path from the sources, then each source moves right next to its nearest consumer. */
function rankNodes(down: number[][], up: number[][]): Int32Array {
  const m = down.length;
  const rank = new Int32Array(m);
  const indegree = Int32Array.from(up, (preds) => preds.length);
  const order: number[] = [];
  for (let v = 0; v < m; v++) if (indegree[v] === 0) order.push(v);
  for (let head = 0; head < order.length; head++) {
    const v = order[head]!;
    for (const w of down[v]!) {
      rank[w] = Math.max(rank[w]!, rank[v]! + 1);
      if (--indegree[w]! === 0) order.push(w);
    }
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i]!;
    if (up[v]!.length > 0 || down[v]!.length === 0) continue;
    let nearest = Infinity;
    for (const w of down[v]!) nearest = Math.min(nearest, rank[w]!);
    rank[v] = nearest - 1;
  }
  return rank;
}

/** Ranks filled in depth-first order from the sources, so connected nodes start out close. */
function initialOrder(rank: Int32Array, down: number[][]): number[][] {
  const m = rank.length;
  let maxRank = 0;
  for (let v = 0; v < m; v++) maxRank = Math.max(maxRank, rank[v]!);
  const layers: number[][] = Array.from({ length: maxRank + 1 }, () => []);
  const visited = new Uint8Array(m);
  const starts = Array.from({ length: m }, (_, v) => v).sort((a, b) => rank[a]! - rank[b]! || a - b);
  const stack: number[] = [];
  for (const start of starts) {
    if (visited[start]) continue;
    stack.push(start);
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (visited[v]) continue;
      visited[v] = 1;
      layers[rank[v]!]!.push(v);
      const targets = down[v]!;
      for (let i = targets.length - 1; i >= 0; i--) if (!visited[targets[i]!]) stack.push(targets[i]!);
    }
  }
  return layers;
}

/** Barycenter sweeps (down using predecessors, up using successors), a fixed number of times. */
function sweepOrder(layers: number[][], down: number[][], up: number[][], sweeps: number): void {
  const m = down.length;
  const pos = new Float64Array(m);
  const key = new Float64Array(m);
  const setPositions = (layer: number[]) => layer.forEach((v, i) => (pos[v] = (i + 0.5) / layer.length));
  layers.forEach(setPositions);

  const reorder = (layer: number[], neighbours: number[][]) => {
    for (const v of layer) {
      const list = neighbours[v]!;
      if (list.length === 0) {
        key[v] = pos[v]!;
        continue;
      }
      let sum = 0;
      for (const u of list) sum += pos[u]!;
      key[v] = sum / list.length;
    }
    layer.sort((a, b) => key[a]! - key[b]! || pos[a]! - pos[b]!);
    setPositions(layer);
  };

  for (let sweep = 0; sweep < sweeps; sweep++) {
    if (sweep % 2 === 0) for (let r = 1; r < layers.length; r++) reorder(layers[r]!, up);
    else for (let r = layers.length - 2; r >= 0; r--) reorder(layers[r]!, down);
  }
}

/** Vertical centres: each rank is pulled towards its neighbours' mean, keeping order and gaps. */
function placeVertically(
  layers: number[][],
  down: number[][],
  up: number[][],
  heights: Float64Array,
  nodeSep: number,
): Float64Array {
  const ys = new Float64Array(down.length);
  for (const layer of layers) {
    let y = 0;
    layer.forEach((v, i) => {
      if (i > 0) y += (heights[layer[i - 1]!]! + heights[v]!) / 2 + nodeSep;
      ys[v] = y;
    });
    const middle = y / 2;
    for (const v of layer) ys[v]! -= middle;
  }

  const pull = (layer: number[], neighbours: number[][]) => {
    const targets: number[] = [];
    const weights: number[] = [];
    const gaps: number[] = [];
    layer.forEach((v, i) => {
      const list = neighbours[v]!;
      if (list.length === 0) {
        // Free nodes keep their place unless neighbours need the room.
        targets.push(ys[v]!);
        weights.push(0.01);
      } else {
        let sum = 0;
        for (const u of list) sum += ys[u]!;
        targets.push(sum / list.length);
        weights.push(list.length);
      }
      if (i > 0) gaps.push((heights[layer[i - 1]!]! + heights[v]!) / 2 + nodeSep);
    });
    const placed = isotonicPlacement(targets, weights, gaps);
    layer.forEach((v, i) => (ys[v] = placed[i]!));
  };

  for (const direction of ['down', 'up', 'down'] as const) {
    if (direction === 'down') for (let r = 1; r < layers.length; r++) pull(layers[r]!, up);
    else for (let r = layers.length - 2; r >= 0; r--) pull(layers[r]!, down);
  }
  return ys;
}

/**
 * Positions y₀ ≤ y₁ ≤ … with yᵢ₊₁ − yᵢ ≥ gapᵢ minimising Σ wᵢ (yᵢ − targetᵢ)². Shifting by the
 * cumulative gaps turns it into a plain isotonic regression, which pool-adjacent-violators
 * solves exactly in linear time.
 */
export function isotonicPlacement(targets: readonly number[], weights: readonly number[], gaps: readonly number[]) {
  const n = targets.length;
  const offset = new Float64Array(n);
  for (let i = 1; i < n; i++) offset[i] = offset[i - 1]! + gaps[i - 1]!;
  const sums: number[] = [];
  const totals: number[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < n; i++) {
    let sum = weights[i]! * (targets[i]! - offset[i]!);
    let total = weights[i]!;
    let size = 1;
    while (sums.length > 0 && sums[sums.length - 1]! / totals[totals.length - 1]! > sum / total) {
      sum += sums.pop()!;
      total += totals.pop()!;
      size += sizes.pop()!;
    }
    sums.push(sum);
    totals.push(total);
    sizes.push(size);
  }
  const result = new Float64Array(n);
  let i = 0;
  sums.forEach((sum, block) => {
    const value = sum / totals[block]!;
    for (let k = 0; k < sizes[block]!; k++, i++) result[i] = value + offset[i]!;
  });
  return result;
}

function placeHorizontally(layers: number[][], widths: Float64Array, rankSep: number, m: number) {
  const xs = new Float64Array(m);
  let left = 0;
  layers.forEach((layer, r) => {
    let column = 0;
    for (const v of layer) column = Math.max(column, widths[v]!);
    for (const v of layer) xs[v] = left + column / 2;
    left += column + (r < layers.length - 1 ? rankSep : 0);
  });
  return { xs, width: left };
}

function placeInGrid(members: number[], nodes: readonly SizedNode[], spacing: Spacing) {
  let cellWidth = 0;
  let cellHeight = 0;
  for (const v of members) {
    cellWidth = Math.max(cellWidth, nodes[v]!.width + spacing.rankSep / 2);
    cellHeight = Math.max(cellHeight, nodes[v]!.height + spacing.nodeSep);
  }
  // Roughly square on screen, not in cell count.
  const columns = Math.max(1, Math.round(Math.sqrt((members.length * cellHeight) / cellWidth)));
  const rows = Math.ceil(members.length / columns);
  const xs = new Float64Array(members.length);
  const ys = new Float64Array(members.length);
  members.forEach((_, i) => {
    xs[i] = (i % columns) * cellWidth + cellWidth / 2;
    ys[i] = Math.floor(i / columns) * cellHeight + cellHeight / 2;
  });
  return { xs, ys, width: columns * cellWidth, height: rows * cellHeight };
}
