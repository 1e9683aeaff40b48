import type { ReadinessReport } from '../observability/readiness.js';

/**
 * Logs each change of readiness (which checks fail, and why), once per change. Anonymous probes
 * only learn "not ready", and while the metadata database is down no caller can be
 * authenticated to read the details, so the server's log is where an outage is explained.
 */
export class ReadinessChangeLog {
  private last = '';

  constructor(private readonly log: (line: string) => void = (line) => console.warn(line)) {}

  record(report: ReadinessReport): void {
    const failing = report.failing.join(',');
    if (failing === this.last) return;
    this.last = failing;
    if (report.failing.length === 0) this.log('weir: ready again: every dependency answers');
    else
      this.log(
        `weir: not ready: ${report.failing.map((name) => `${name} (${report.checks[name].error ?? 'failed'})`).join('; ')}`,
      );
  }
}
