import { Controller, Get, Inject } from '@nestjs/common';
import { computeStaleness } from '../automation/staleness.js';
import type { WeirEngine } from '../engine/weir-engine.js';
import { WEIR_ENGINE } from './api-tokens.js';

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
}
