export { AssetGraph, type GraphInput } from './asset-graph.js';
export { collectDefinitions, isAssetDefinition } from './collect-definitions.js';
export { closestKey } from './closest-key.js';
export { canonicalJson } from './graph-snapshot.js';
export {
  parseSelection,
  resolveSelection,
  SelectionError,
  type SelectableGraph,
  type SelectionTarget,
  type SelectionTerm,
} from './selection.js';
