import { dependencyKey, type AnyAssetDefinition, type Dependency } from '../sdk/asset.js';
import { AssetDefinitionError, type Culprit } from '../sdk/definition-error.js';
import { isMappedDependency } from '../sdk/partition-mapping.js';
import { fromCounts, renumber, reverse, type Adjacency } from './adjacency.js';
import { didYouMean } from './closest-key.js';
import { partitionProblems } from './partition-validation.js';
import { findCycles, topologicalOrder } from './toposort.js';

/** One input of an asset: the name it has in `inputs` and the key of the upstream asset. */
export interface GraphInput {
  readonly name: string;
  readonly key: string;
}

/**
 * A validated graph. Nodes are numbered by topological position (upstream first); adjacency
 * lists hold positions in ascending order, i.e. topologically sorted.
 */
export interface GraphStructure {
  readonly definitions: readonly AnyAssetDefinition[];
  readonly keys: readonly string[];
  /** Topological position of each key. */
  positionOf(key: string): number | undefined;
  /** For each asset, the assets it depends on (each once). */
  readonly upstream: Adjacency;
  /** For each asset, the assets that depend on it. */
  readonly downstream: Adjacency;
}

interface Problem {
  readonly text: string;
  readonly culprits: readonly Culprit[];
}

// Past this many, a longer message helps nobody; the count of the rest is still given.
const MAX_LISTED_PROBLEMS = 50;

/** The inputs of a definition in declaration order (none for a source asset). */
export function inputsOf(definition: AnyAssetDefinition): GraphInput[] {
  if (definition.kind !== 'asset') return [];
  return Object.keys(definition.deps).map((name) => ({ name, key: dependencyKey(definition.deps[name]!) }));
}

/**
 * Validates asset definitions and lays them out in topological order.
 *
 * The same object given twice counts once. Every problem found is reported in one error:
 * duplicate keys, dependency cycles (with their path) and dependencies on unknown keys (with
 * the closest existing key as a hint). O(V + E) plus sorting the keys once.
 *
 * @throws AssetDefinitionError naming every asset involved and the `file:line` defining it.
 */
export function buildGraphStructure(definitions: readonly AnyAssetDefinition[]): GraphStructure {
  const problems: Problem[] = [];

  const nodes: AnyAssetDefinition[] = [];
  const idOf = new Map<string, number>();
  const duplicates = new Map<string, AnyAssetDefinition[]>();
  for (const definition of definitions) {
    const existing = idOf.get(definition.key);
    if (existing === undefined) {
      idOf.set(definition.key, nodes.length);
      nodes.push(definition);
    } else if (nodes[existing] !== definition) {
      const group = duplicates.get(definition.key) ?? [nodes[existing]!];
      if (!group.includes(definition)) group.push(definition);
      duplicates.set(definition.key, group);
    }
  }
  for (const [key, group] of duplicates) {
    problems.push({
      text: `key '${key}' is defined ${group.length} times: asset keys must be unique`,
      culprits: group.map(culpritOf),
    });
  }

  const n = nodes.length;
  const upstreamCounts = new Int32Array(n);
  const upstreamTargets: number[] = [];
  const unknown: Array<{ definition: AnyAssetDefinition; name: string; dependency: Dependency }> = [];
  // `addedBy[u] === id` means u is already an upstream of id: dedupes in O(1) per edge.
  const addedBy = new Int32Array(n).fill(-1);
  for (let id = 0; id < n; id++) {
    const definition = nodes[id]!;
    if (definition.kind !== 'asset') continue;
    const deps = definition.deps;
    for (const name in deps) {
      const dependency = deps[name]!;
      const upstreamId = idOf.get(dependencyKey(dependency));
      if (upstreamId === undefined) unknown.push({ definition, name, dependency });
      else if (addedBy[upstreamId] !== id) {
        addedBy[upstreamId] = id;
        upstreamTargets.push(upstreamId);
        upstreamCounts[id]!++;
      }
    }
  }
  const upstreamById = fromCounts(upstreamCounts, Int32Array.from(upstreamTargets));
  const downstreamById = reverse(upstreamById);
  const rank = rankByKey(nodes);
  const { order, blocked } = topologicalOrder(downstreamById, rank);
  if (blocked.length > 0) {
    for (const cycle of findCycles(upstreamById, blocked, rank))
      problems.push(cycleProblem(cycle.map((id) => nodes[id]!)));
  }

  // Unknown dependencies last: a renamed key can produce hundreds, which should not push
  // the rarer duplicates and cycles out of the listed problems.
  const hints = new HintFinder(idOf);
  for (const { definition, name, dependency } of unknown) {
    const listed = problems.length < MAX_LISTED_PROBLEMS;
    problems.push(unknownDependencyProblem(definition, name, dependency, listed ? hints : undefined));
  }

  if (problems.length < MAX_LISTED_PROBLEMS) {
    const lookup = (key: string) => {
      const id = idOf.get(key);
      return id === undefined ? undefined : nodes[id];
    };
    problems.push(...partitionProblems(nodes, lookup));
  }

  if (problems.length > 0) throw definitionError(problems);
  return layOut(nodes, idOf, order, upstreamById);
}

/** Renumbers nodes by topological position. */
function layOut(
  nodes: readonly AnyAssetDefinition[],
  idOf: ReadonlyMap<string, number>,
  order: Int32Array,
  upstreamById: Adjacency,
): GraphStructure {
  const positionById = new Int32Array(order.length);
  for (let position = 0; position < order.length; position++) positionById[order[position]!] = position;
  // Reversing sorts each list (see `reverse`): twice gives sorted lists in both directions.
  const downstream = reverse(renumber(upstreamById, positionById));
  const upstream = reverse(downstream);
  const definitions = Array.from(order, (id) => nodes[id]!);
  return {
    definitions,
    keys: definitions.map((definition) => definition.key),
    positionOf: (key) => {
      const id = idOf.get(key);
      return id === undefined ? undefined : positionById[id];
    },
    upstream,
    downstream,
  };
}

/** Rank of each node in ascending key order (code-unit order, independent of locale). */
function rankByKey(nodes: readonly AnyAssetDefinition[]): Int32Array {
  const ids = nodes.map((_, id) => id);
  ids.sort((a, b) => (nodes[a]!.key < nodes[b]!.key ? -1 : 1));
  const rank = new Int32Array(nodes.length);
  ids.forEach((id, position) => (rank[id] = position));
  return rank;
}

function unknownDependencyProblem(
  definition: AnyAssetDefinition,
  name: string,
  dependency: Dependency,
  hints: HintFinder | undefined,
): Problem {
  const key = dependencyKey(dependency);
  const culprits = [culpritOf(definition)];
  const upstream = isMappedDependency(dependency) ? dependency.upstream : dependency;
  if (typeof upstream === 'string') {
    return {
      text: `asset '${definition.key}' input '${name}' depends on unknown key '${key}'${hints?.hintFor(key) ?? ''}`,
      culprits,
    };
  }
  // An asset object that was never handed over, typically defined in a module that is
  // imported by the project but whose assets are not exported.
  return {
    text: `asset '${definition.key}' input '${name}' depends on asset '${key}', which is not part of the project: export it`,
    culprits: [...culprits, culpritOf(upstream)],
  };
}

// Each hint compares the unknown key with every key. Past this many comparisons in all,
// problems are listed without hints, so that a 100k-asset project with many typos still
// fails within a second (and the same way on every machine, unlike a time limit).
const HINT_COMPARISONS = 1_000_000;

/** "Did you mean" hints, each computed once and within a total budget. */
class HintFinder {
  private readonly hints = new Map<string, string>();
  private budget = HINT_COMPARISONS;

  constructor(private readonly keys: ReadonlyMap<string, unknown>) {}

  hintFor(unknownKey: string): string {
    let hint = this.hints.get(unknownKey);
    if (hint !== undefined) return hint;
    if (this.budget < this.keys.size) return '';
    this.budget -= this.keys.size;
    hint = didYouMean(unknownKey, this.keys.keys());
    this.hints.set(unknownKey, hint);
    return hint;
  }
}

function cycleProblem(cycle: readonly AnyAssetDefinition[]): Problem {
  const path = [...cycle, cycle[0]!].map((definition) => `${definition.key} (${definition.definedAt})`);
  return { text: `dependency cycle (→ means "depends on"): ${path.join(' → ')}`, culprits: cycle.map(culpritOf) };
}

function definitionError(problems: readonly Problem[]): AssetDefinitionError {
  if (problems.length === 1) return new AssetDefinitionError(problems[0]!.text, problems[0]!.culprits);
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  const lines = listed.map((problem, i) => `${i + 1}. ${problem.text}`);
  if (problems.length > listed.length) lines.push(`… and ${problems.length - listed.length} more`);
  const culprits = new Map<string, Culprit>();
  for (const problem of listed) {
    for (const culprit of problem.culprits) culprits.set(`${culprit.key}\0${culprit.definedAt}`, culprit);
  }
  return new AssetDefinitionError(
    `${problems.length} problems in asset definitions:\n${lines.join('\n')}\nassets involved:`,
    [...culprits.values()],
  );
}

function culpritOf(definition: AnyAssetDefinition): Culprit {
  return { key: definition.key, definedAt: definition.definedAt };
}
