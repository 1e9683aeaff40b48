import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { WeirEngine } from '../engine/weir-engine.js';
import { collectMetrics } from '../observability/metrics-collector.js';
import { PROMETHEUS_CONTENT_TYPE, renderMetrics } from '../observability/prom-exposition.js';
import { WEIR_ENGINE, WEIR_PROCESS_INFO, type ProcessInfo } from './api-tokens.js';

@Controller()
export class MetricsController {
  constructor(
    @Inject(WEIR_ENGINE) private readonly engine: WeirEngine,
    @Inject(WEIR_PROCESS_INFO) private readonly info: ProcessInfo,
  ) {}

  /** Prometheus metrics, computed from the database at each scrape (see `collectMetrics`). */
  @Get('metrics')
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  async metrics(): Promise<string> {
    return renderMetrics(await collectMetrics(this.engine, this.info));
  }
}
