import { BadRequestException, Controller, Get, Inject, NotFoundException, Param, Post, UsePipes } from '@nestjs/common';
import type { WeirEngine } from '../engine/weir-engine.js';
import { didYouMean } from '../graph/closest-key.js';
import type { AssetPartitionsView } from '../runs/partition-queries.js';
import { WEIR_ENGINE } from './api-tokens.js';
import { InputLimitsPipe } from './input-limits.pipe.js';

/** REST for partitions: dynamic partition keys, and an asset's partitions with their state. */
// NUL bytes and over-long strings are refused before any handler (see input-limits.ts).
@UsePipes(new InputLimitsPipe())
@Controller('api')
export class PartitionsController {
  constructor(@Inject(WEIR_ENGINE) private readonly engine: WeirEngine) {}

  /** Adds a key to a dynamic partition set (idempotent: `added` is false when it was there). */
  @Post('partitions/:set/:key')
  async add(
    @Param('set') set: string,
    @Param('key') key: string,
  ): Promise<{ set: string; key: string; added: boolean }> {
    const added = await this.engine.addDynamicPartitions(set, [key]);
    return { set, key, added: added.length > 0 };
  }

  /** Every partition of an asset now, each with its latest materialization. */
  @Get('assets/*key/partitions')
  partitions(@Param('key') rawKey: string | string[]): Promise<AssetPartitionsView> {
    const assetKey = Array.isArray(rawKey) ? rawKey.join('/') : rawKey;
    const graph = this.engine.graph;
    if (!graph.has(assetKey))
      throw new NotFoundException(`unknown asset '${assetKey}'${didYouMean(assetKey, graph.keys)}`);
    if (!graph.partitionsOf(assetKey)) throw new BadRequestException(`${assetKey} is not partitioned`);
    return this.engine.listPartitions(assetKey);
  }
}
