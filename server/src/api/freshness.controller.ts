import { Controller, Get, Inject } from '@nestjs/common';
import type { WeirEngine } from '../engine/weir-engine.js';
import type { FreshnessView } from '../freshness/freshness-report.js';
import { WEIR_ENGINE } from './api-tokens.js';

/** REST for freshness: what `weir freshness` uses while `weir dev` holds the embedded database. */
@Controller('api/freshness')
export class FreshnessController {
  constructor(@Inject(WEIR_ENGINE) private readonly engine: WeirEngine) {}

  /** Every asset with a freshness policy, its status now and its last breach. */
  @Get()
  list(): Promise<FreshnessView[]> {
    return this.engine.freshness();
  }
}
