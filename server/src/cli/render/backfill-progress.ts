import type { BackfillView } from '../../backfills/backfill-store.js';
import { bold, dim, elapsed, green, red, statusLabel, truncate } from './format.js';
import { renderTable } from './table.js';

const WIDTH = 28;
// Failed partitions listed in the summary; the rest are counted.
const MAX_LISTED = 20;

/**
 * A live one-line progress display of a backfill (partitions done of total, running, failed).
 * On a terminal it redraws in place; otherwise it prints a line at each tenth of the way and at
 * each new failure, so a log of 365 partitions stays short.
 */
export class BackfillProgress {
  private drawn = false;
  private lastStep = -1;
  private lastFailed = 0;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  update(backfill: BackfillView): void {
    if (this.out.isTTY) {
      this.out.write(`\r\u001b[2K${progressLine(backfill)}`);
      this.drawn = true;
      return;
    }
    const done = backfill.counts.succeeded + backfill.counts.failed;
    const step = Math.floor((done * 10) / Math.max(backfill.total, 1));
    if (step === this.lastStep && backfill.counts.failed === this.lastFailed) return;
    this.lastStep = step;
    this.lastFailed = backfill.counts.failed;
    this.out.write(`  ${progressLine(backfill, false)}\n`);
  }

  /** Leaves the last line on screen. */
  finish(backfill: BackfillView): void {
    if (this.out.isTTY && this.drawn) this.out.write(`\r\u001b[2K${progressLine(backfill)}\n`);
  }
}

/** `██████░░ 120/365 partitions · 4 running · 2 failed · 1m12s`. */
export function progressLine(backfill: BackfillView, withBar = true): string {
  const { counts, total } = backfill;
  const done = counts.succeeded + counts.failed;
  const filled = total === 0 ? WIDTH : Math.round((done / total) * WIDTH);
  const parts = [
    `${done}/${total} partitions`,
    `${counts.running} running`,
    counts.failed ? red(`${counts.failed} failed`) : '',
    counts.succeeded ? green(`${counts.succeeded} ok`) : '',
    elapsed(backfill.createdAt, backfill.endedAt),
  ].filter(Boolean);
  return `${withBar ? `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)} ` : ''}${parts.join(' · ')}`;
}

/** The end of `weir backfill`: the counts, then the failed partitions (with their runs) if any. */
export function backfillSummary(backfill: BackfillView): string {
  const { counts, total } = backfill;
  const took = elapsed(backfill.createdAt, backfill.endedAt);
  const headline =
    counts.failed === 0 && counts.succeeded === total
      ? `${counts.succeeded} of ${total} partitions succeeded`
      : `${counts.succeeded} succeeded, ${counts.failed} failed${counts.pending + counts.running ? `, ${counts.pending + counts.running} not run` : ''} of ${total} partitions`;
  const lines = [`${bold(`backfill ${backfill.id} ${statusLabel(backfill.status)}`)}: ${headline} in ${took}`];
  const failed = backfill.partitions.filter((p) => p.status === 'failed');
  if (failed.length > 0) {
    const rows = failed
      .slice(0, MAX_LISTED)
      .map((p) => [
        p.key,
        p.runId ? p.runId.slice(0, 8) : dim('—'),
        truncate(p.error ?? '', 80),
        p.runId ? dim(`weir logs ${p.runId.slice(0, 8)}`) : '',
      ]);
    lines.push('', `failed partitions:`, renderTable(['partition', 'run', 'error', 'details'], rows));
    if (failed.length > MAX_LISTED) lines.push(dim(`… and ${failed.length - MAX_LISTED} more (--json lists them all)`));
    if (backfill.status === 'failed')
      lines.push('', `once fixed, run them again from their failure: weir backfill --retry-failed ${backfill.id}`);
  }
  return lines.join('\n');
}
