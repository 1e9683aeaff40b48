import { dependencyKey, type AnyAsset } from '../sdk/asset.js';
import { MaterializeForTestError } from './test-errors.js';

/**
 * The given assets in dependency order (upstreams first), among themselves only: an upstream
 * that is not given is an input of the test.
 * @throws MaterializeForTestError for a key given twice or a cycle.
 */
export function testOrder(assets: readonly AnyAsset[]): AnyAsset[] {
  const byKey = new Map<string, AnyAsset>();
  for (const asset of assets) {
    if (asset?.kind !== 'asset') {
      throw new MaterializeForTestError(
        `materializeForTest takes assets made with asset() (got ${asset === undefined ? 'undefined' : `a ${asset.kind ?? typeof asset}`})`,
        String(asset?.key ?? ''),
      );
    }
    const earlier = byKey.get(asset.key);
    if (earlier && earlier !== asset) {
      throw new MaterializeForTestError(
        `two assets given to materializeForTest have the key '${asset.key}' (${earlier.definedAt}, ${asset.definedAt})`,
        asset.key,
      );
    }
    byKey.set(asset.key, asset);
  }
  const order: AnyAsset[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (asset: AnyAsset, path: readonly string[]): void => {
    const seen = state.get(asset.key);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...path.slice(path.indexOf(asset.key)), asset.key].join(' → ');
      throw new MaterializeForTestError(`the assets given to materializeForTest form a cycle: ${cycle}`, asset.key);
    }
    state.set(asset.key, 'visiting');
    for (const dep of Object.values(asset.deps)) {
      const upstream = byKey.get(dependencyKey(dep));
      if (upstream) visit(upstream, [...path, asset.key]);
    }
    state.set(asset.key, 'done');
    order.push(asset);
  };
  for (const asset of byKey.values()) visit(asset, []);
  return order;
}
