import { Controller, Get, Inject, NotFoundException, Param, Query, UsePipes } from '@nestjs/common';
import { didYouMean } from '../graph/closest-key.js';
import { computeStaleness } from '../automation/staleness.js';
import type { WeirEngine } from '../engine/weir-engine.js';
import { WEIR_ENGINE } from './api-tokens.js';
import { InputLimitsPipe } from './input-limits.pipe.js';

// NUL bytes and over-long strings are refused before any handler (see input-limits.ts).
@UsePipes(new InputLimitsPipe())
@Controller('api/assets')
export class AssetsController {
  constructor(@Inject(WEIR_ENGINE) private readonly engine: WeirEngine) {}

  /** The loaded definitions in topological order, each with its staleness. */
  @Get()
  async list() {
    const graph = this.engine.graph;
    const staleness = new Map(
      (await computeStaleness(this.engine.dataSource.manager, graph)).map((s) => [s.assetKey, s]),
    );
    return {
      hash: graph.hash,
      assets: graph.toSnapshot().map((asset) => {
        const { lastUpdatedAt = null, stale = false, reasons = [] } = staleness.get(asset.key) ?? {};
        return { ...asset, lastUpdatedAt, stale, staleReasons: reasons };
      }),
    };
  }

  /** "Why did / didn't this run": the asset's automation decisions, newest first. */
  @Get('*key/decisions')
  async decisions(@Param('key') rawKey: string | string[], @Query('limit') limit?: string) {
    const assetKey = Array.isArray(rawKey) ? rawKey.join('/') : rawKey;
    const graph = this.engine.graph;
    if (!graph.has(assetKey))
      throw new NotFoundException(`unknown asset '${assetKey}'${didYouMean(assetKey, graph.keys)}`);
    const take = Math.min(Math.max(Number(limit ?? 50) || 50, 1), 500);
    const rows: Array<{
      id: string | number;
      created_at: Date;
      type: string;
      message: string;
      run_id: string | null;
      data: Record<string, unknown>;
    }> = await this.engine.dataSource.query(
      `SELECT id, created_at, type, message, run_id, data FROM event_log
          WHERE asset_key = $1 AND type IN ('automation.requested', 'automation.declined') ORDER BY id DESC LIMIT $2`,
      [assetKey, take],
    );
    return rows.map((row) => ({
      at: new Date(row.created_at).toISOString(),
      requested: row.type === 'automation.requested',
      partition: row.data.partition ?? null,
      runId: row.run_id,
      reasons: row.data.reasons ?? [],
      trigger: row.data.trigger ?? null,
      consumedEventIds: row.data.consumedEventIds ?? [],
    }));
  }
}
