/**
 * The Prometheus text exposition format (version 0.0.4), for `/metrics`: small enough to write
 * here rather than depend on a client library that would also keep state between scrapes.
 */

/** The `Content-Type` of a scrape response. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Label names and values of one sample. */
export type Labels = Readonly<Record<string, string>>;

/** One value of a gauge or counter. */
export interface Sample {
  readonly labels?: Labels;
  readonly value: number;
}

/** One labelled histogram: observations per bucket as counted, not yet cumulative. */
export interface HistogramSeries {
  readonly labels?: Labels;
  /**
   * `counts[i]` observations fell in `(bounds[i-1], bounds[i]]`; the last entry counts those
   * above every bound. So there is one more count than there are bounds.
   */
  readonly counts: readonly number[];
  /** Sum of all observed values. */
  readonly sum: number;
}

/** A gauge or counter and its samples. */
export interface ScalarFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly samples: readonly Sample[];
}

/** A histogram: its bucket upper bounds (without `+Inf`) and its series. */
export interface HistogramFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'histogram';
  readonly bounds: readonly number[];
  readonly series: readonly HistogramSeries[];
}

export type MetricFamily = ScalarFamily | HistogramFamily;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Renders metric families as one scrape body, ending with a newline. */
export function formatMetrics(families: readonly MetricFamily[]): string {
  const names = new Set<string>();
  const lines: string[] = [];
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) throw new Error(`"${family.name}" is not a valid metric name`);
    if (names.has(family.name)) throw new Error(`metric ${family.name} is listed twice`);
    names.add(family.name);
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    if (family.type === 'histogram') lines.push(...histogramLines(family));
    else for (const sample of family.samples) lines.push(sampleLine(family.name, sample.labels, sample.value));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function histogramLines(family: HistogramFamily): string[] {
  const { name, bounds } = family;
  bounds.forEach((bound, i) => {
    if (!Number.isFinite(bound) || (i > 0 && bound <= bounds[i - 1]!)) {
      throw new Error(`histogram ${name}: bucket bounds must be finite and increasing (got ${bounds.join(', ')})`);
    }
  });
  const lines: string[] = [];
  for (const series of family.series) {
    if ('le' in (series.labels ?? {})) throw new Error(`histogram ${name}: "le" is reserved for bucket bounds`);
    if (series.counts.length !== bounds.length + 1) {
      throw new Error(`histogram ${name}: ${bounds.length} bounds need ${bounds.length + 1} counts`);
    }
    let cumulative = 0;
    series.counts.forEach((count, i) => {
      cumulative += count;
      const le = i < bounds.length ? formatValue(bounds[i]!) : '+Inf';
      lines.push(sampleLine(`${name}_bucket`, { ...series.labels, le }, cumulative));
    });
    lines.push(sampleLine(`${name}_sum`, series.labels, series.sum));
    lines.push(sampleLine(`${name}_count`, series.labels, cumulative));
  }
  return lines;
}

function sampleLine(name: string, labels: Labels | undefined, value: number): string {
  const entries = Object.entries(labels ?? {});
  for (const [label] of entries) {
    if (!LABEL_NAME.test(label) || label.startsWith('__')) throw new Error(`"${label}" is not a valid label name`);
  }
  const rendered = entries.map(([label, text]) => `${label}="${escapeLabelValue(text)}"`).join(',');
  return `${name}${rendered === '' ? '' : `{${rendered}}`} ${formatValue(value)}`;
}

/** A sample value as Prometheus parses it: `NaN`, `+Inf` and `-Inf` spelled its way. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** Label values escape backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escapes backslash and line feed (quotes are fine there). */
function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
