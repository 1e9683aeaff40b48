/**
 * Graph algorithms on dense integer node ids (0..n-1), so that the asset graph can run them
 * on 100k nodes with typed arrays instead of maps of strings. Callers translate keys to ids.
 */
import { neighbours, nodeCount, type Adjacency } from './adjacency.js';

/** Result of {@link topologicalOrder}. */
export interface TopologicalResult {
  /** The nodes that could be ordered, upstream first. */
  readonly order: Int32Array;
  /** Nodes never freed because they sit on a cycle or downstream of one (empty for a DAG). */
  readonly blocked: number[];
}

/**
 * Kahn's algorithm. `downstream` lists, for each node, the nodes that depend on it (each at
 * most once). Among nodes that are ready at the same time, the one with the smallest `rank`
 * comes first, which makes the order deterministic whatever order the definitions were given
 * in. O((V + E) log V).
 */
export function topologicalOrder(downstream: Adjacency, rank: Int32Array): TopologicalResult {
  const n = nodeCount(downstream);
  const { offsets, targets } = downstream;
  const pending = new Int32Array(n);
  for (let edge = 0; edge < targets.length; edge++) pending[targets[edge]!]!++;
  const ready = new RankHeap(rank, n);
  for (let node = 0; node < n; node++) if (pending[node] === 0) ready.push(node);
  const order = new Int32Array(n);
  let ordered = 0;
  while (ready.size > 0) {
    const node = ready.pop();
    order[ordered++] = node;
    for (let edge = offsets[node]!; edge < offsets[node + 1]!; edge++) {
      if (--pending[targets[edge]!]! === 0) ready.push(targets[edge]!);
    }
  }
  const blocked: number[] = [];
  if (ordered < n) for (let node = 0; node < n; node++) if (pending[node]! > 0) blocked.push(node);
  return { order: order.subarray(0, ordered), blocked };
}

/**
 * Finds one cycle per strongly connected component among `candidates` (the blocked nodes of
 * {@link topologicalOrder}). Each cycle is given as the nodes along `edges`, starting at the
 * lowest-ranked node of its component and not repeating it at the end; the shortest cycle
 * through that node is chosen so that messages stay readable. Cycles are sorted by first node.
 */
export function findCycles(edges: Adjacency, candidates: readonly number[], rank: Int32Array): number[][] {
  const components = stronglyConnectedComponents(edges, candidates);
  const cycles: number[][] = [];
  for (const component of components) {
    const start = component.reduce((best, node) => (rank[node]! < rank[best]! ? node : best));
    const isSelfLoop = neighbours(edges, start).includes(start);
    if (component.length === 1 && !isSelfLoop) continue;
    cycles.push(isSelfLoop ? [start] : shortestCycleThrough(start, edges, new Set(component)));
  }
  return cycles.sort((a, b) => rank[a[0]!]! - rank[b[0]!]!);
}

/** Breadth-first search from `start` back to itself, staying inside `component`. */
function shortestCycleThrough(start: number, edges: Adjacency, component: ReadonlySet<number>): number[] {
  const parent = new Map<number, number>([[start, -1]]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const next of neighbours(edges, node)) {
      if (next === start) {
        const path: number[] = [];
        for (let at = node; at !== -1; at = parent.get(at)!) path.push(at);
        return path.reverse();
      }
      if (!component.has(next) || parent.has(next)) continue;
      parent.set(next, node);
      queue.push(next);
    }
  }
  // Unreachable for a real component: every node of an SCC lies on a cycle through any other.
  return [start];
}

/**
 * Tarjan's algorithm restricted to `nodes`, iterative so that a 100k-long chain cannot
 * overflow the call stack.
 */
function stronglyConnectedComponents(edges: Adjacency, nodes: readonly number[]): number[][] {
  const n = nodeCount(edges);
  const inScope = new Uint8Array(n);
  for (const node of nodes) inScope[node] = 1;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const frames: number[] = [];
  const frameEdge: number[] = [];
  const components: number[][] = [];
  let counter = 0;

  const enter = (node: number): void => {
    index[node] = low[node] = counter++;
    stack.push(node);
    onStack[node] = 1;
    frames.push(node);
    frameEdge.push(edges.offsets[node]!);
  };

  for (const root of nodes) {
    if (index[root] !== -1) continue;
    enter(root);
    while (frames.length > 0) {
      const top = frames.length - 1;
      const node = frames[top]!;
      const edge = frameEdge[top]!;
      if (edge < edges.offsets[node + 1]!) {
        frameEdge[top] = edge + 1;
        const next = edges.targets[edge]!;
        if (!inScope[next]) continue;
        if (index[next] === -1) enter(next);
        else if (onStack[next]) low[node] = Math.min(low[node]!, index[next]!);
        continue;
      }
      frames.pop();
      frameEdge.pop();
      if (frames.length > 0) {
        const caller = frames[frames.length - 1]!;
        low[caller] = Math.min(low[caller]!, low[node]!);
      }
      if (low[node] === index[node]) {
        const component: number[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = 0;
          component.push(member);
        } while (member !== node);
        components.push(component);
      }
    }
  }
  return components;
}

/** A binary min-heap of node ids ordered by `rank`, stored in a typed array. */
class RankHeap {
  private readonly items: Int32Array;
  size = 0;

  constructor(
    private readonly rank: Int32Array,
    capacity: number,
  ) {
    this.items = new Int32Array(Math.max(1, capacity));
  }

  push(node: number): void {
    const { items, rank } = this;
    let at = this.size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (rank[items[parent]!]! <= rank[node]!) break;
      items[at] = items[parent]!;
      at = parent;
    }
    items[at] = node;
  }

  pop(): number {
    const { items, rank } = this;
    const top = items[0]!;
    const last = items[--this.size]!;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && rank[items[child + 1]!]! < rank[items[child]!]!) child++;
      if (rank[items[child]!]! >= rank[last]!) break;
      items[at] = items[child]!;
      at = child;
    }
    items[at] = last;
    return top;
  }
}
