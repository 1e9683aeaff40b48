/**
 * "Focus" on a node: everything it depends on (upstream) and everything that depends on it
 * (downstream), transitively. Computed over the drawn graph, so a collapsed group is one step.
 */

export interface FocusClosure {
  focus: string;
  upstream: Set<string>;
  downstream: Set<string>;
}

export interface Adjacency {
  upstreamOf: Map<string, string[]>;
  downstreamOf: Map<string, string[]>;
}

export function buildAdjacency(edges: Iterable<{ source: string; target: string }>): Adjacency {
  const upstreamOf = new Map<string, string[]>();
  const downstreamOf = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, key: string, value: string) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (const edge of edges) {
    push(downstreamOf, edge.source, edge.target);
    push(upstreamOf, edge.target, edge.source);
  }
  return { upstreamOf, downstreamOf };
}

/** Breadth-first in both directions; the focus itself is in neither set (even on a cycle). */
export function focusClosure(adjacency: Adjacency, focus: string): FocusClosure {
  return {
    focus,
    upstream: reach(adjacency.upstreamOf, focus),
    downstream: reach(adjacency.downstreamOf, focus),
  };
}

function reach(next: Map<string, string[]>, start: string): Set<string> {
  const found = new Set<string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    for (const neighbour of next.get(queue[head]!) ?? []) {
      if (neighbour === start || found.has(neighbour)) continue;
      found.add(neighbour);
      queue.push(neighbour);
    }
  }
  return found;
}

/** An edge is on the focus path when it links two nodes of the same side (or the focus to one). */
export function edgeInClosure(closure: FocusClosure, source: string, target: string): boolean {
  const { focus, upstream, downstream } = closure;
  const upSide = (id: string) => id === focus || upstream.has(id);
  const downSide = (id: string) => id === focus || downstream.has(id);
  return (upstream.has(source) && upSide(target)) || (downSide(source) && downstream.has(target));
}
