import { Controller, Get, Header } from '@nestjs/common';
import { PublicRoute } from '../auth/public-route.js';

@Controller()
export class HealthController {
  /**
   * Liveness: `ok` while the process serves HTTP. Public, for probes, so it says nothing else
   * (no pid, path, database or definitions: authenticated callers read those on `/readyz`) and
   * touches no dependency (a database outage is readiness's business, not a reason to restart).
   */
  @Get('healthz')
  @PublicRoute()
  @Header('content-type', 'text/plain; charset=utf-8')
  @Header('cache-control', 'no-store')
  health(): string {
    return 'ok';
  }
}
