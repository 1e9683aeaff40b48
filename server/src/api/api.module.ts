import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { WeirEngine } from '../engine/weir-engine.js';
import { AssetsController } from './assets.controller.js';
import { FreshnessController } from './freshness.controller.js';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';
import { ReadinessController } from './readiness.controller.js';
import { RunsController } from './runs.controller.js';
import {
  WEIR_AUTOMATION,
  WEIR_BACKFILLS,
  WEIR_AUTH,
  WEIR_ENGINE,
  WEIR_PROCESS_INFO,
  type ProcessInfo,
} from './api-tokens.js';
import { AssetEventsController } from './asset-events.controller.js';
import { BackfillsController } from './backfills.controller.js';
import { PartitionsController } from './partitions.controller.js';
import type { AutomationService } from '../automation/automation-service.js';
import type { BackfillRunner } from '../backfills/backfill-runner.js';
import { AuthGuard } from '../auth/auth.guard.js';
import type { AuthService } from '../auth/auth-service.js';
import { SessionController } from './session.controller.js';
import { TokensController } from './tokens.controller.js';

/** Services beyond the engine that some endpoints use. */
export interface ApiExtras {
  readonly automation?: AutomationService;
  /** Authenticates every request but the public ones; without it only public routes answer. */
  readonly auth?: AuthService;
  readonly backfills?: BackfillRunner;
  /** The GraphQL module (`/graphql`), when this process serves it. */
  readonly graphql?: DynamicModule;
}

/** The HTTP API of a Weir process, around an engine created outside Nest. */
@Module({})
export class ApiModule {
  static forEngine(engine: WeirEngine, info: ProcessInfo, extras: ApiExtras = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: extras.graphql ? [extras.graphql] : [],
      controllers: [
        HealthController,
        ReadinessController,
        MetricsController,
        RunsController,
        AssetsController,
        FreshnessController,
        AssetEventsController,
        BackfillsController,
        PartitionsController,
        SessionController,
        TokensController,
      ],
      providers: [
        { provide: WEIR_ENGINE, useValue: engine },
        { provide: WEIR_PROCESS_INFO, useValue: info },
        { provide: WEIR_AUTOMATION, useValue: extras.automation },
        { provide: WEIR_AUTH, useValue: extras.auth },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: WEIR_BACKFILLS, useValue: extras.backfills },
      ],
    };
  }
}
