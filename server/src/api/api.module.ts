import { Module, type DynamicModule } from '@nestjs/common';
import type { WeirEngine } from '../engine/weir-engine.js';
import { AssetsController } from './assets.controller.js';
import { HealthController } from './health.controller.js';
import { RunsController } from './runs.controller.js';
import { WEIR_ENGINE, WEIR_PROCESS_INFO, type ProcessInfo } from './api-tokens.js';

/** The HTTP API of a Weir process, around an engine created outside Nest. */
@Module({})
export class ApiModule {
  static forEngine(engine: WeirEngine, info: ProcessInfo): DynamicModule {
    return {
      module: ApiModule,
      controllers: [HealthController, RunsController, AssetsController],
      providers: [
        { provide: WEIR_ENGINE, useValue: engine },
        { provide: WEIR_PROCESS_INFO, useValue: info },
      ],
    };
  }
}
