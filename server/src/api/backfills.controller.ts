import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  ServiceUnavailableException,
  UsePipes,
} from '@nestjs/common';
import type { BackfillRunner } from '../backfills/backfill-runner.js';
import type { BackfillSummary, BackfillView } from '../backfills/backfill-store.js';
import { WEIR_BACKFILLS } from './api-tokens.js';
import { parseRequestedPartitions } from './request-partitions.js';
import { InputLimitsPipe } from './input-limits.pipe.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** REST for backfills: `weir backfill` creates one here and follows it. */
// NUL bytes and over-long strings are refused before any handler (see input-limits.ts).
@UsePipes(new InputLimitsPipe())
@Controller('api/backfills')
export class BackfillsController {
  constructor(@Inject(WEIR_BACKFILLS) private readonly backfills: BackfillRunner | undefined) {}

  /** Body `{ selection, partitions: [keys] | { from, to }, maxConcurrentRuns? }`. */
  @Post()
  create(@Body() body: unknown): Promise<BackfillView> {
    const { selection, partitions, maxConcurrentRuns, ...rest } = (body ?? {}) as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0)
      throw new BadRequestException(
        `unknown field(s) ${unknown.join(', ')}: expected selection, partitions, maxConcurrentRuns`,
      );
    if (typeof selection !== 'string' || selection.trim() === '')
      throw new BadRequestException("body must be JSON with a non-empty string 'selection'");
    const requested = parseRequestedPartitions(partitions);
    if (!requested) throw new BadRequestException("a backfill needs 'partitions': a list of keys or { from, to }");
    if (maxConcurrentRuns !== undefined && typeof maxConcurrentRuns !== 'number')
      throw new BadRequestException('maxConcurrentRuns must be a number');
    return this.runner().create({ selection, partitions: requested, maxConcurrentRuns });
  }

  @Get()
  list(@Query('limit') limit?: string): Promise<BackfillSummary[]> {
    const n = limit === undefined ? 20 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000)
      throw new BadRequestException(`limit must be an integer from 1 to 1000 (got ${limit})`);
    return this.runner().list(n);
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<BackfillView> {
    const view = UUID.test(id) ? await this.runner().get(id) : null;
    if (!view) throw new NotFoundException(`no backfill ${id}`);
    return view;
  }

  /** Runs the failed partitions of a failed backfill again, each from its failure. 409 when it has not failed. */
  @Post(':id/retry')
  async retry(@Param('id') id: string): Promise<BackfillView> {
    if (!UUID.test(id) || !(await this.runner().get(id))) throw new NotFoundException(`no backfill ${id}`);
    return this.runner().retryFailed(id);
  }

  private runner(): BackfillRunner {
    if (!this.backfills) throw new ServiceUnavailableException('this process does not run backfills');
    return this.backfills;
  }
}
