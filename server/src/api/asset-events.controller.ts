import { timingSafeEqual } from 'node:crypto';
import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  Headers,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  UnauthorizedException,
} from '@nestjs/common';
import type { AutomationService } from '../automation/automation-service.js';
import { recordObservation } from '../automation/upstream-events.js';
import type { WeirEngine } from '../engine/weir-engine.js';
import { didYouMean } from '../graph/closest-key.js';
import { WEIR_AUTOMATION, WEIR_ENGINE, WEIR_EVENTS_TOKEN } from './api-tokens.js';

interface ExternalEvent {
  dataVersion?: string;
  metadata?: Record<string, unknown>;
  partition?: string;
}

/**
 * External systems report that an asset changed: `POST /api/assets/<key>/events` with
 * `Authorization: Bearer <WEIR_EVENTS_TOKEN>`. The observation is recorded and delivered to the
 * automated downstream assets in one transaction, which are then evaluated at once. A bad token,
 * key or body is refused before anything is written.
 */
@Controller('api/assets')
export class AssetEventsController {
  constructor(
    @Inject(WEIR_ENGINE) private readonly engine: WeirEngine,
    @Inject(WEIR_AUTOMATION) private readonly automation: AutomationService | undefined,
    @Inject(WEIR_EVENTS_TOKEN) private readonly token: string | undefined,
  ) {}

  // `*key` matches keys with slashes (`vendor/fx_rates`); an encoded `%2F` works too.
  @Post('*key/events')
  @HttpCode(201)
  async report(
    @Param('key') rawKey: string | string[],
    @Headers('authorization') authorization: string | undefined,
    @Body() body: unknown,
  ): Promise<{ observationId: string; assetKey: string; runsRequested: string[] }> {
    this.authorize(authorization);
    const assetKey = Array.isArray(rawKey) ? rawKey.join('/') : rawKey;
    const graph = this.engine.graph;
    if (!graph.has(assetKey)) {
      throw new NotFoundException(`unknown asset '${assetKey}'${didYouMean(assetKey, graph.keys)}`);
    }
    const event = parseEvent(body);
    const observationId = await this.engine.dataSource.transaction((manager) =>
      recordObservation(manager, graph, {
        assetKey,
        partitionKey: event.partition,
        dataVersion: event.dataVersion,
        metadata: event.metadata,
        source: 'api',
      }),
    );
    const decisions = (await this.automation?.onUpstreamEvent(assetKey)) ?? [];
    return { observationId, assetKey, runsRequested: decisions.flatMap((decision) => decision.runIds) };
  }

  private authorize(authorization: string | undefined): void {
    if (!this.token) throw new ForbiddenException('external events are disabled: set WEIR_EVENTS_TOKEN on the server');
    const presented = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (!presented) throw new UnauthorizedException('missing Authorization: Bearer <token> header');
    const expected = Buffer.from(this.token);
    const given = Buffer.from(presented);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new UnauthorizedException('invalid token');
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
