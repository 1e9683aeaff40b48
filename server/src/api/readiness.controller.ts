import { Controller, Get, Inject, Res } from '@nestjs/common';
import { PublicRoute } from '../auth/public-route.js';
import type { WeirEngine } from '../engine/weir-engine.js';
import { checkReadiness, type ReadinessReport } from '../observability/readiness.js';
import { WEIR_ENGINE } from './api-tokens.js';

@Controller()
export class ReadinessController {
  constructor(@Inject(WEIR_ENGINE) private readonly engine: WeirEngine) {}

  /**
   * Readiness: 200 when the metadata database, the queue and the object store all answer within
   * a couple of seconds, 503 naming those that do not. Public, like `/healthz`, for load balancers.
   */
  @Get('readyz')
  @PublicRoute()
  async ready(@Res({ passthrough: true }) response: { status(code: number): unknown }): Promise<ReadinessReport> {
    const { dataSource, executor, objectStore } = this.engine;
    const report = await checkReadiness({
      database: () => dataSource.query('SELECT 1'),
      queue: executor.ping && (() => executor.ping!()),
      objectStore: objectStore.ping && (() => objectStore.ping!()),
    });
    if (report.status !== 'ready') response.status(503);
    return report;
  }
}
