import { Controller, Get, Inject } from '@nestjs/common';
import type { WeirEngine } from '../engine/weir-engine.js';
import { WEIR_ENGINE } from './api-tokens.js';

@Controller('api/assets')
export class AssetsController {
  constructor(@Inject(WEIR_ENGINE) private readonly engine: WeirEngine) {}

  /** The loaded definitions in topological order. */
  @Get()
  list() {
    return { hash: this.engine.graph.hash, assets: this.engine.graph.toSnapshot() };
  }
}
