import { asset } from '../../src/sdk/asset.js';
import { sourceAsset } from '../../src/sdk/source-asset.js';
import { dailyPartitions, dynamicPartitions } from '../../src/sdk/partitions.js';
import { NonRetryableError } from '../../src/sdk/retry.js';

/** A small project that gives every mutation something to act on. */
export const vendorFeed = sourceAsset({ key: 'vendor/feed' });
export const quick = asset({ key: 'core/quick', materialize: () => ({ ok: true }) });
export const broken = asset({
  key: 'core/broken',
  materialize: () => {
    throw new NonRetryableError('bad input file');
  },
});
/** Runs until its run is canceled. */
export const slow = asset({
  key: 'core/slow',
  materialize: (ctx) =>
    new Promise((_, reject) => {
      if (ctx.signal.aborted) reject(ctx.signal.reason);
      ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
    }),
});
export const days = asset({
  key: 'core/days',
  partitions: dailyPartitions({ start: '2025-01-01' }),
  materialize: (ctx) => ({ day: ctx.partition }),
});
/** Fails for every day (a backfill of it fails, so it can be retried). */
export const brokenDays = asset({
  key: 'core/broken_days',
  partitions: dailyPartitions({ start: '2025-01-01' }),
  materialize: (ctx) => {
    throw new NonRetryableError(`no data for ${ctx.partition}`);
  },
});
export const regions = asset({
  key: 'core/regions',
  partitions: dynamicPartitions('regions'),
  materialize: (ctx) => ({ region: ctx.partition }),
});

export const FIXTURE_ASSETS = [vendorFeed, quick, broken, slow, days, brokenDays, regions];
