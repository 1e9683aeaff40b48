import { BadRequestException } from '@nestjs/common';
import type { RequestedPartitions } from '../runs/partition-plan.js';

const SHAPE = `'partitions' must be a list of keys (["2025-01-01"]) or a range ({"from": "2025-01-01", "to": "2025-01-31"})`;

/** The `partitions` field of a request body: a list of keys or a `{ from, to }` range (both included). */
export function parseRequestedPartitions(value: unknown): RequestedPartitions | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0 || !value.every((key) => typeof key === 'string' && key !== ''))
      throw new BadRequestException(SHAPE);
    return value as string[];
  }
  const range = value as { from?: unknown; to?: unknown };
  if (typeof value !== 'object' || typeof range.from !== 'string' || typeof range.to !== 'string')
    throw new BadRequestException(SHAPE);
  const extra = Object.keys(value).filter((field) => field !== 'from' && field !== 'to');
  if (extra.length > 0) throw new BadRequestException(`unknown field(s) ${extra.join(', ')} in 'partitions': ${SHAPE}`);
  return { from: range.from, to: range.to };
}
