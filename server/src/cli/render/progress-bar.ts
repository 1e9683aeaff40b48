import type { RunView } from '../../runs/run-queries.js';
import { elapsed, green, red, stepCounts, stepLabel, yellow } from './format.js';

const WIDTH = 28;

/**
 * A live one-line progress display of a run. On a terminal it redraws in place; otherwise
 * (CI logs, pipes) it prints one line per step status change, which reads well in a log.
 */
export class ProgressBar {
  private readonly seen = new Map<string, string>();
  private drawn = false;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  update(run: RunView): void {
    if (this.out.isTTY) {
      this.out.write(`\r\u001b[2K${this.line(run)}`);
      this.drawn = true;
      return;
    }
    for (const step of run.steps) {
      const key = `${step.status}:${step.attempts}`;
      if (this.seen.get(step.id) === key) continue;
      this.seen.set(step.id, key);
      if (step.status === 'pending') continue;
      const attempt = step.attempts > 1 ? ` (attempt ${step.attempts})` : '';
      this.out.write(`  ${stepLabel(step)}: ${step.status}${attempt}\n`);
    }
  }

  /** Leaves the last line on screen. */
  finish(run: RunView): void {
    if (this.out.isTTY && this.drawn) this.out.write(`\r\u001b[2K${this.line(run)}\n`);
  }

  private line(run: RunView): string {
    const counts = stepCounts(run);
    const total = run.steps.length;
    const done = (counts.succeeded ?? 0) + (counts.failed ?? 0) + (counts.skipped ?? 0) + (counts.canceled ?? 0);
    const filled = total === 0 ? WIDTH : Math.round((done / total) * WIDTH);
    const bar = '█'.repeat(filled) + '░'.repeat(WIDTH - filled);
    const parts = [
      `${done}/${total} steps`,
      `${counts.running ?? 0} running`,
      counts.retry_scheduled ? yellow(`${counts.retry_scheduled} retrying`) : '',
      counts.failed ? red(`${counts.failed} failed`) : '',
      counts.succeeded ? green(`${counts.succeeded} ok`) : '',
      elapsed(run.startedAt ?? run.createdAt, run.endedAt),
    ].filter(Boolean);
    return `${bar} ${parts.join(' · ')}`;
  }
}
