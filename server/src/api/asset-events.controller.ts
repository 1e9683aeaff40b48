import {
  BadRequestException,
  Body,
  Controller,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  UsePipes,
} from '@nestjs/common';
import type { AutomationService } from '../automation/automation-service.js';
import type { WeirEngine } from '../engine/weir-engine.js';
import { didYouMean } from '../graph/closest-key.js';
import { RequireRole } from '../auth/require-role.js';
import { reportObservation } from './report-observation.js';
import { WEIR_AUTOMATION, WEIR_ENGINE } from './api-tokens.js';
import { InputLimitsPipe } from './input-limits.pipe.js';

interface ExternalEvent {
  dataVersion?: string;
  metadata?: Record<string, unknown>;
  partition?: string;
}

/**
 * External systems report that an asset changed: `POST /api/assets/<key>/events` with
 * `Authorization: Bearer <an operator or admin API token>` (checked by the global auth guard).
 * The observation is recorded and delivered to the automated downstream assets in one
 * transaction, which are then evaluated at once. A bad token, key or body is refused before
 * anything is written.
 */
// NUL bytes and over-long strings are refused before any handler (see input-limits.ts).
@UsePipes(new InputLimitsPipe())
@Controller('api/assets')
export class AssetEventsController {
  constructor(
    @Inject(WEIR_ENGINE) private readonly engine: WeirEngine,
    @Inject(WEIR_AUTOMATION) private readonly automation: AutomationService | undefined,
  ) {}

  // `*key` matches keys with slashes (`vendor/fx_rates`); an encoded `%2F` works too.
  @Post('*key/events')
  @HttpCode(201)
  @RequireRole('operator')
  async report(
    @Param('key') rawKey: string | string[],
    @Body() body: unknown,
  ): Promise<{ observationId: string; assetKey: string; runsRequested: string[] }> {
    const assetKey = Array.isArray(rawKey) ? rawKey.join('/') : rawKey;
    const graph = this.engine.graph;
    if (!graph.has(assetKey)) {
      throw new NotFoundException(`unknown asset '${assetKey}'${didYouMean(assetKey, graph.keys)}`);
    }
    const event = parseEvent(body);
    const { observationId, runsRequested } = await reportObservation(this.engine, this.automation, {
      assetKey,
      ...event,
    });
    return { observationId, assetKey, runsRequested };
  }
}

function parseEvent(body: unknown): ExternalEvent {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new BadRequestException('body must be a JSON object');
  const { dataVersion, metadata, partition, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    throw new BadRequestException(`unknown field(s) ${unknown.join(', ')}: expected dataVersion, metadata, partition`);
  if (dataVersion !== undefined && typeof dataVersion !== 'string')
    throw new BadRequestException('dataVersion must be a string');
  if (partition !== undefined && typeof partition !== 'string')
    throw new BadRequestException('partition must be a string');
  if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))) {
    throw new BadRequestException('metadata must be a JSON object');
  }
  return { dataVersion, partition, metadata: metadata as Record<string, unknown> | undefined };
}
