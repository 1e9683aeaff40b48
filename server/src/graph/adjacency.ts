/**
 * Adjacency lists in compressed sparse row form: the neighbours of node `u` are
 * `targets[offsets[u]]` up to (excluding) `targets[offsets[u + 1]]`.
 *
 * Two typed arrays instead of one array per node: building a 100k-asset graph would otherwise
 * allocate hundreds of thousands of small arrays and spend most of its time collecting them.
 */
export interface Adjacency {
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
}

/** Number of nodes of `adjacency`. */
export function nodeCount(adjacency: Adjacency): number {
  return adjacency.offsets.length - 1;
}

/** The neighbours of `node`, as a view (no copy). */
export function neighbours(adjacency: Adjacency, node: number): Int32Array {
  return adjacency.targets.subarray(adjacency.offsets[node]!, adjacency.offsets[node + 1]!);
}

/** Builds an adjacency from per-node neighbour counts and the neighbours laid end to end. */
export function fromCounts(counts: Int32Array, targets: Int32Array): Adjacency {
  const offsets = new Int32Array(counts.length + 1);
  for (let node = 0; node < counts.length; node++) offsets[node + 1] = offsets[node]! + counts[node]!;
  return { offsets, targets };
}

/**
 * The same edges pointing the other way. Each reversed list comes out in ascending order,
 * because sources are visited in ascending order.
 */
export function reverse(adjacency: Adjacency): Adjacency {
  const n = nodeCount(adjacency);
  const { offsets, targets } = adjacency;
  const counts = new Int32Array(n);
  for (let edge = 0; edge < targets.length; edge++) counts[targets[edge]!]!++;
  const reversed = fromCounts(counts, new Int32Array(targets.length));
  const cursor = reversed.offsets.slice(0, n);
  for (let source = 0; source < n; source++) {
    for (let edge = offsets[source]!; edge < offsets[source + 1]!; edge++) {
      reversed.targets[cursor[targets[edge]!]!++] = source;
    }
  }
  return reversed;
}

/**
 * The same graph with node `u` renamed `newId[u]` (a permutation). Lists are not sorted;
 * reverse the result twice to get sorted lists.
 */
export function renumber(adjacency: Adjacency, newId: Int32Array): Adjacency {
  const n = nodeCount(adjacency);
  const { offsets, targets } = adjacency;
  const counts = new Int32Array(n);
  for (let old = 0; old < n; old++) counts[newId[old]!] = offsets[old + 1]! - offsets[old]!;
  const renumbered = fromCounts(counts, new Int32Array(targets.length));
  for (let old = 0; old < n; old++) {
    let at = renumbered.offsets[newId[old]!]!;
    for (let edge = offsets[old]!; edge < offsets[old + 1]!; edge++) renumbered.targets[at++] = newId[targets[edge]!]!;
  }
  return renumbered;
}
