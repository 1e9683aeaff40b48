import { isDeepStrictEqual } from 'node:util';
import type { DataSource } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import { snapshotOf } from '../graph/graph-snapshot.js';
import type { AnyAsset } from '../sdk/asset.js';
import type { AssetSnapshot } from '../storage/entities/definition-snapshot.entity.js';

const REMEMBERED_RUNS = 1_000;

/**
 * Checks that a step can run on the definitions loaded now although its run was planned on
 * others (`weir dev` reloaded them, or a worker runs another deploy): the asset's inputs and
 * partitions must be what the plan assumed. A code change alone is fine (the step runs the new
 * code); a changed shape fails the step clearly instead of feeding it the wrong data.
 */
export class PlannedDefinitions {
  /** Snapshot hash and id of recent runs: one query per run and process, not per step. */
  private readonly runs = new Map<string, { hash: string; snapshotId: string }>();
  private readonly snapshots = new Map<string, Map<string, AssetSnapshot>>();

  constructor(private readonly dataSource: DataSource) {}

  /** Why the step cannot run on `graph`, or `undefined` when it can. */
  async incompatibility(runId: string, graph: AssetGraph, definition: AnyAsset): Promise<string | undefined> {
    const planned = await this.plannedOf(runId);
    if (!planned || planned.hash === graph.hash) return undefined;
    const then = (await this.assetsOf(planned.snapshotId)).get(definition.key);
    if (!then) return undefined;
    const now = snapshotOf(definition);
    for (const field of ['deps', 'partitions', 'partitionMappings'] as const) {
      if (!isDeepStrictEqual(then[field], now[field])) {
        const name = field === 'deps' ? 'inputs' : field === 'partitions' ? 'partitions' : 'partition mappings';
        return `asset ${definition.key} changed since run ${runId} was planned: its ${name} were ${JSON.stringify(then[field])}, now ${JSON.stringify(now[field])}; start a new run to materialize it with the new definitions`;
      }
    }
    return undefined;
  }

  private async plannedOf(runId: string): Promise<{ hash: string; snapshotId: string } | undefined> {
    const known = this.runs.get(runId);
    if (known) return known;
    const rows: Array<{ hash: string; id: string }> = await this.dataSource.query(
      `SELECT d.hash, d.id FROM runs r JOIN definition_snapshots d ON d.id = r.snapshot_id WHERE r.id = $1`,
      [runId],
    );
    if (!rows[0]) return undefined;
    if (this.runs.size >= REMEMBERED_RUNS) this.runs.delete(this.runs.keys().next().value!);
    const planned = { hash: rows[0].hash, snapshotId: rows[0].id };
    this.runs.set(runId, planned);
    return planned;
  }

  private async assetsOf(snapshotId: string): Promise<Map<string, AssetSnapshot>> {
    let assets = this.snapshots.get(snapshotId);
    if (!assets) {
      const rows: Array<{ assets: AssetSnapshot[] }> = await this.dataSource.query(
        `SELECT assets FROM definition_snapshots WHERE id = $1`,
        [snapshotId],
      );
      assets = new Map((rows[0]?.assets ?? []).map((snapshot) => [snapshot.key, snapshot]));
      // Few snapshots are in use at once (the current deploy and the one before).
      if (this.snapshots.size >= 8) this.snapshots.clear();
      this.snapshots.set(snapshotId, assets);
    }
    return assets;
  }
}
