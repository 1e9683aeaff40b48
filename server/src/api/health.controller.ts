import { Controller, Get, Inject } from '@nestjs/common';
import { PublicRoute } from '../auth/public-route.js';
import type { WeirEngine } from '../engine/weir-engine.js';
import { WEIR_ENGINE, WEIR_PROCESS_INFO, type ProcessInfo } from './api-tokens.js';

@Controller()
export class HealthController {
  constructor(
    @Inject(WEIR_ENGINE) private readonly engine: WeirEngine,
    @Inject(WEIR_PROCESS_INFO) private readonly info: ProcessInfo,
  ) {}

  /** Liveness and a short description of what this process runs; public, for probes. */
  @Get('healthz')
  @PublicRoute()
  health() {
    return {
      status: 'ok',
      pid: process.pid,
      ...this.info,
      assets: this.engine.graph.keys.length,
      definitionsHash: this.engine.graph.hash,
    };
  }
}
