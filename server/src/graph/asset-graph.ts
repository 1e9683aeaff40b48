import type { AnyAssetDefinition } from '../sdk/asset.js';
// Type-only: erased at run time, so this pure layer still loads no TypeORM code.
import type { AssetSnapshot } from '../storage/entities/definition-snapshot.entity.js';
import type { Adjacency } from './adjacency.js';
import { didYouMean } from './closest-key.js';
import { snapshotHash, snapshotOf } from './graph-snapshot.js';
import { buildGraphStructure, inputsOf, type GraphInput, type GraphStructure } from './graph-validation.js';
import { mappedInputsOf, partitionsOf, type MappedInput } from './partition-validation.js';
import { parseSelection, resolveSelection, type SelectableGraph } from './selection.js';
import type { PartitionsDefinition } from '../sdk/partitions.js';

export type { GraphInput } from './graph-validation.js';
export type { MappedInput } from './partition-validation.js';

/**
 * The validated, immutable graph of a project's assets.
 *
 * Every list it returns is in topological order (upstream first), ties broken by key, so
 * output is the same whatever order the definitions were given in.
 *
 * @example
 * ```ts
 * const graph = AssetGraph.build(collectDefinitions(await import('./assets/index.js')));
 * graph.select('+gold/revenue'); // ['bronze/orders', 'silver/orders', 'gold/revenue']
 * ```
 */
export class AssetGraph implements SelectableGraph {
  /** Every asset key, upstream first. */
  readonly keys: readonly string[];
  /** Every definition, in the order of {@link AssetGraph.keys}. */
  readonly definitions: readonly AnyAssetDefinition[];

  private cachedHash: string | undefined;
  private readonly mappedInputs = new Map<string, readonly MappedInput[]>();

  private constructor(private readonly structure: GraphStructure) {
    this.keys = Object.freeze(structure.keys);
    this.definitions = Object.freeze(structure.definitions);
  }

  /**
   * Validates `definitions` and builds their graph. The same object listed twice counts once.
   * O(V + E) plus sorting the keys once; 100k assets take a fraction of a second.
   *
   * @throws AssetDefinitionError listing every problem at once — duplicate keys, unknown
   *   dependencies (with the closest key as a hint), dependency cycles (with their path) —
   *   each naming the assets involved and the `file:line` that defines them.
   */
  static build(definitions: readonly AnyAssetDefinition[]): AssetGraph {
    return new AssetGraph(buildGraphStructure(definitions));
  }

  /** Number of assets. */
  get size(): number {
    return this.keys.length;
  }

  /** True when an asset has this key. */
  has(key: string): boolean {
    return this.structure.positionOf(key) !== undefined;
  }

  /**
   * The definition with this key.
   * @throws Error naming the unknown key and the closest existing one.
   */
  get(key: string): AnyAssetDefinition {
    return this.structure.definitions[this.position(key)]!;
  }

  /** The asset's inputs in declaration order: input name and upstream key. Empty for sources. */
  inputsOf(key: string): readonly GraphInput[] {
    return inputsOf(this.get(key));
  }

  /** How the asset is partitioned (`undefined`: it is not; source assets never are). */
  partitionsOf(key: string): PartitionsDefinition | undefined {
    return partitionsOf(this.get(key));
  }

  /** The asset's inputs with the partition mapping each reads through, in declaration order. */
  mappedInputsOf(key: string): readonly MappedInput[] {
    let inputs = this.mappedInputs.get(key);
    if (!inputs) {
      inputs = mappedInputsOf(this.get(key), (upstream) => (this.has(upstream) ? this.get(upstream) : undefined));
      this.mappedInputs.set(key, inputs);
    }
    return inputs;
  }

  /** Keys the asset depends on directly, each once. */
  upstreamOf(key: string): readonly string[] {
    return this.neighbourKeys(this.structure.upstream, this.position(key));
  }

  /** Keys that depend directly on the asset. */
  downstreamOf(key: string): readonly string[] {
    return this.neighbourKeys(this.structure.downstream, this.position(key));
  }

  /**
   * The given assets and everything they depend on, transitively. The set iterates in
   * topological order.
   * @throws Error naming any unknown key.
   */
  upstreamClosure(keys: Iterable<string>): Set<string> {
    return this.closure(keys, this.structure.upstream);
  }

  /**
   * The given assets and everything that depends on them, transitively. The set iterates in
   * topological order.
   * @throws Error naming any unknown key.
   */
  downstreamClosure(keys: Iterable<string>): Set<string> {
    return this.closure(keys, this.structure.downstream);
  }

  /**
   * The given keys, each once, upstream first.
   * @throws Error naming any unknown key.
   */
  sortTopologically(keys: Iterable<string>): string[] {
    const positions = new Set<number>();
    for (const key of keys) positions.add(this.position(key));
    return this.keysAt(Int32Array.from(positions).sort());
  }

  /**
   * The keys designated by a selection such as `'+gold/revenue, tag:pii'`, upstream first;
   * see {@link parseSelection} for the syntax. Source assets are included: callers that
   * materialize filter them out.
   * @throws SelectionError naming every term that does not parse or matches nothing.
   */
  select(selection: string): string[] {
    const selected = resolveSelection(this, parseSelection(selection));
    // Everything (typically `*`): already known in order, no need to sort.
    return selected.size === this.keys.length ? [...this.keys] : this.sortTopologically(selected);
  }

  /** Every asset as stored with a deploy (no code), upstream first. */
  toSnapshot(): AssetSnapshot[] {
    return this.structure.definitions.map(snapshotOf);
  }

  /**
   * SHA-256 (hex) of the canonical JSON of {@link AssetGraph.toSnapshot}: equal definitions
   * give equal hashes. Computed on first use.
   */
  get hash(): string {
    this.cachedHash ??= snapshotHash(this.toSnapshot());
    return this.cachedHash;
  }

  private position(key: string): number {
    const position = this.structure.positionOf(key);
    if (position === undefined) throw new Error(`unknown asset key '${key}'${didYouMean(key, this.keys)}`);
    return position;
  }

  private keysAt(positions: ArrayLike<number>): string[] {
    return Array.from(positions, (position) => this.keys[position]!);
  }

  private neighbourKeys(edges: Adjacency, position: number): string[] {
    const keys: string[] = [];
    for (let edge = edges.offsets[position]!; edge < edges.offsets[position + 1]!; edge++)
      keys.push(this.keys[edges.targets[edge]!]!);
    return keys;
  }

  private closure(keys: Iterable<string>, edges: Adjacency): Set<string> {
    const reached = new Set<number>();
    const queue: number[] = [];
    for (const key of keys) {
      const position = this.position(key);
      if (!reached.has(position)) {
        reached.add(position);
        queue.push(position);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head]!;
      for (let edge = edges.offsets[node]!; edge < edges.offsets[node + 1]!; edge++) {
        const next = edges.targets[edge]!;
        if (reached.has(next)) continue;
        reached.add(next);
        queue.push(next);
      }
    }
    return new Set(this.keysAt(Int32Array.from(queue).sort()));
  }
}
