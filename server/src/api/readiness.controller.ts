import { Controller, Get, Header, Inject, Req, Res } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import type { AuthService } from '../auth/auth-service.js';
import { PublicRoute } from '../auth/public-route.js';
import { authorizationOf, sessionSecretOf } from '../auth/session-cookie.js';
import type { WeirEngine } from '../engine/weir-engine.js';
import { checkReadiness, type ReadinessReport } from '../observability/readiness.js';
import { WEIR_AUTH, WEIR_ENGINE, WEIR_PROCESS_INFO, type ProcessInfo } from './api-tokens.js';
import { ReadinessChangeLog } from './readiness-change-log.js';

/** What an authenticated caller reads on `/readyz`: the checks and what this process runs. */
export interface ReadinessDetails extends ReadinessReport {
  readonly process: ProcessInfo & { readonly pid: number; readonly assets: number; readonly definitionsHash: string };
}

@Controller()
export class ReadinessController {
  private readonly changes = new ReadinessChangeLog();

  constructor(
    @Inject(WEIR_ENGINE) private readonly engine: WeirEngine,
    @Inject(WEIR_PROCESS_INFO) private readonly info: ProcessInfo,
    @Inject(WEIR_AUTH) private readonly auth: AuthService | undefined,
  ) {}

  /**
   * Readiness: 200 when the metadata database, the queue and the object store all answer within
   * a couple of seconds, 503 otherwise. Public, for load balancers, which get only
   * `{ status }`; a caller with a valid token or session also gets each check (naming those that
   * fail, and why) and the process's mode, role, project, database and definitions. Each change
   * is logged (see ReadinessChangeLog).
   */
  @Get('readyz')
  @PublicRoute()
  @Header('cache-control', 'no-store')
  async ready(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: { status(code: number): unknown },
  ): Promise<ReadinessDetails | Pick<ReadinessReport, 'status'>> {
    const { dataSource, executor, objectStore } = this.engine;
    const [report, authenticated] = await Promise.all([
      checkReadiness({
        database: () => dataSource.query('SELECT 1'),
        queue: executor.ping && (() => executor.ping!()),
        objectStore: objectStore.ping && (() => objectStore.ping!()),
      }),
      this.authenticated(request),
    ]);
    this.changes.record(report);
    if (report.status !== 'ready') response.status(503);
    if (!authenticated) return { status: report.status };
    const { graph } = this.engine;
    return {
      ...report,
      process: { pid: process.pid, ...this.info, assets: graph.keys.length, definitionsHash: graph.hash },
    };
  }

  /** Whether the request carries a valid token or session; a probe without credentials is not an auth failure. */
  private async authenticated(request: AuthenticatedRequest): Promise<boolean> {
    if (!this.auth) return false;
    if (authorizationOf(request.headers) === undefined && sessionSecretOf(request.headers) === undefined) return false;
    try {
      await this.auth.authenticate({
        headers: request.headers,
        ip: request.ip ?? request.socket?.remoteAddress ?? 'unknown',
      });
      return true;
    } catch {
      // A bad or rate-limited credential gets what anyone gets: the probe keeps working.
      return false;
    }
  }
}
