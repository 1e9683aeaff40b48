import { Module, type DynamicModule } from '@nestjs/common';
import type { WeirEngine } from '../engine/weir-engine.js';
import { AssetsController } from './assets.controller.js';
import { FreshnessController } from './freshness.controller.js';
import { HealthController } from './health.controller.js';
import { RunsController } from './runs.controller.js';
import {
  WEIR_AUTOMATION,
  WEIR_BACKFILLS,
  WEIR_ENGINE,
  WEIR_EVENTS_TOKEN,
  WEIR_PROCESS_INFO,
  type ProcessInfo,
} from './api-tokens.js';
import { AssetEventsController } from './asset-events.controller.js';
import { BackfillsController } from './backfills.controller.js';
import { PartitionsController } from './partitions.controller.js';
import type { AutomationService } from '../automation/automation-service.js';
import type { BackfillRunner } from '../backfills/backfill-runner.js';

/** Services beyond the engine that some endpoints use. */
export interface ApiExtras {
  readonly automation?: AutomationService;
  readonly eventsToken?: string;
  readonly backfills?: BackfillRunner;
}

/** The HTTP API of a Weir process, around an engine created outside Nest. */
@Module({})
export class ApiModule {
  static forEngine(engine: WeirEngine, info: ProcessInfo, extras: ApiExtras = {}): DynamicModule {
    return {
      module: ApiModule,
      controllers: [
        HealthController,
        RunsController,
        AssetsController,
        FreshnessController,
        AssetEventsController,
        BackfillsController,
        PartitionsController,
      ],
      providers: [
        { provide: WEIR_ENGINE, useValue: engine },
        { provide: WEIR_PROCESS_INFO, useValue: info },
        { provide: WEIR_AUTOMATION, useValue: extras.automation },
        { provide: WEIR_EVENTS_TOKEN, useValue: extras.eventsToken },
        { provide: WEIR_BACKFILLS, useValue: extras.backfills },
      ],
    };
  }
}
