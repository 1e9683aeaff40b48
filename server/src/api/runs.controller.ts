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
  UsePipes,
} from '@nestjs/common';
import type { WeirEngine } from '../engine/weir-engine.js';
import type { RunView } from '../runs/run-queries.js';
import type { EventView } from '../storage/event-log.js';
import { WEIR_ENGINE } from './api-tokens.js';
import { parseRequestedPartitions } from './request-partitions.js';
import { InputLimitsPipe } from './input-limits.pipe.js';
import { publicEvent, publicRunView } from './store-relative-uri.js';

/** REST for runs: what the CLI uses while `weir dev` holds the embedded database. */
// NUL bytes and over-long strings are refused before any handler (see input-limits.ts).
@UsePipes(new InputLimitsPipe())
@Controller('api/runs')
export class RunsController {
  constructor(@Inject(WEIR_ENGINE) private readonly engine: WeirEngine) {}

  /** Body `{ selection, partitions?: [keys] | { from, to }, config?: { "<asset key>": {...} } }`. */
  @Post()
  async create(@Body() body: unknown): Promise<RunView> {
    const { selection, partitions, config } = (body ?? {}) as {
      selection?: unknown;
      partitions?: unknown;
      config?: unknown;
    };
    if (typeof selection !== 'string' || selection.trim() === '') {
      throw new BadRequestException(
        'body must be JSON with a non-empty string \'selection\', e.g. {"selection": "+gold/revenue"}',
      );
    }
    return this.shown(
      await this.engine.requestRun({
        selection,
        partitions: parseRequestedPartitions(partitions),
        config,
        trigger: 'manual',
      }),
    );
  }

  /** Re-executes an ended run; body `{ "mode": "from-failure" | "all" }` (default from-failure). */
  @Post(':id/reexecute')
  async reexecute(@Param('id') id: string, @Body() body: unknown): Promise<RunView> {
    const mode = (body as { mode?: unknown } | undefined)?.mode ?? 'from-failure';
    if (mode !== 'from-failure' && mode !== 'all') {
      throw new BadRequestException(`mode must be 'from-failure' or 'all' (got ${JSON.stringify(mode)})`);
    }
    return this.shown(await this.engine.reexecute(await this.resolve(id), mode));
  }

  @Post(':id/cancel')
  async cancel(@Param('id') id: string): Promise<RunView> {
    return this.shown(await this.engine.cancel(await this.resolve(id)));
  }

  @Get()
  async list(@Query('limit') limit?: string): Promise<RunView[]> {
    const n = limit === undefined ? 20 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000)
      throw new BadRequestException(`limit must be an integer from 1 to 1000 (got ${limit})`);
    return (await this.engine.listRuns(n)).map((view) => this.shown(view));
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<RunView> {
    const view = await this.engine.getRun(await this.resolve(id));
    if (!view) throw new NotFoundException(`run ${id} not found`);
    return this.shown(view);
  }

  @Get(':id/events')
  async events(@Param('id') id: string, @Query('after') after?: string): Promise<EventView[]> {
    if (after !== undefined && !/^\d+$/.test(after))
      throw new BadRequestException(`after must be an event id (digits), got ${after}`);
    const events = await this.engine.runEvents(await this.resolve(id), after);
    return events.map((event) => publicEvent(event, this.engine.objectStore));
  }

  private shown(view: RunView): RunView {
    return publicRunView(view, this.engine.objectStore);
  }

  private async resolve(idOrPrefix: string): Promise<string> {
    const id = await this.engine.resolveRunId(idOrPrefix);
    if (!id) throw new NotFoundException(`no run matches '${idOrPrefix}' (give the id or a unique prefix of it)`);
    return id;
  }
}
