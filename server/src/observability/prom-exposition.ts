import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type MetricObjectWithValues,
  type MetricType,
  type MetricValueWithName,
} from 'prom-client';
import type { HistogramFamily, Labels, MetricFamily, ScalarFamily } from './metric-families.js';

/** The `Content-Type` of a scrape response (Prometheus text format 0.0.4). */
export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

// prom-client's default metrics (CPU, memory, event-loop lag, GC, handles) sample this process:
// registered once, so their counters and the event-loop histogram accumulate between scrapes.
let processRegistry: Registry | undefined;
function defaultMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * Renders one scrape: Weir's families, computed from the database for this scrape (a fresh
 * registry each time, so a server behind a load balancer answers the same as any other), then
 * prom-client's default process metrics. prom-client validates names and labels and escapes
 * values; a family listed twice is refused, naming it.
 */
export async function renderMetrics(families: readonly MetricFamily[]): Promise<string> {
  const scrape = new Registry();
  for (const family of families) {
    if (scrape.getSingleMetric(family.name)) throw new Error(`metric ${family.name} is listed twice`);
    if (family.type === 'histogram') registerHistogram(scrape, family);
    else registerScalar(scrape, family);
  }
  return Registry.merge([scrape, defaultMetrics()]).metrics();
}

function labelNamesOf(samples: ReadonlyArray<{ readonly labels?: Labels }>): string[] {
  return [...new Set(samples.flatMap((sample) => Object.keys(sample.labels ?? {})))];
}

function registerScalar(registry: Registry, family: ScalarFamily): void {
  const options = {
    name: family.name,
    help: family.help,
    labelNames: labelNamesOf(family.samples),
    registers: [registry],
  };
  if (family.type === 'gauge') {
    const gauge = new Gauge(options);
    for (const sample of family.samples) gauge.set({ ...sample.labels }, sample.value);
  } else {
    // A counter read from the database is a total as of now, not an increment of this process.
    const counter = new Counter(options);
    for (const sample of family.samples) counter.inc({ ...sample.labels }, sample.value);
  }
}

/**
 * A histogram whose buckets were counted by the database (see `sql-histogram.ts`): prom-client's
 * own histogram only takes single observations, so this one reports the given counts instead,
 * cumulative per bucket, with `_sum` and `_count`, through prom-client's formatting.
 */
class PrecountedHistogram extends Histogram<string> {
  constructor(
    registry: Registry,
    private readonly family: HistogramFamily,
  ) {
    super({
      name: family.name,
      help: family.help,
      labelNames: labelNamesOf(family.series),
      buckets: [...family.bounds],
      registers: [registry],
    });
  }

  // What the registry calls to render text (prom-client 15; absent from its typings).
  getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    return this.get();
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    const { name, bounds } = this.family;
    const values: Array<MetricValueWithName<string>> = [];
    for (const series of this.family.series) {
      let cumulative = 0;
      series.counts.forEach((count, i) => {
        cumulative += count;
        const le = i < bounds.length ? bounds[i]! : '+Inf';
        values.push({ metricName: `${name}_bucket`, labels: { ...series.labels, le }, value: cumulative });
      });
      values.push({ metricName: `${name}_sum`, labels: { ...series.labels }, value: series.sum });
      values.push({ metricName: `${name}_count`, labels: { ...series.labels }, value: cumulative });
    }
    // prom-client's typings declare `type` as a numeric enum; its registry prints the string.
    const type = 'histogram' as unknown as MetricType;
    return { name, help: this.family.help, type, aggregator: 'sum', collect: () => {}, values };
  }
}

function registerHistogram(registry: Registry, family: HistogramFamily): void {
  family.bounds.forEach((bound, i) => {
    if (!Number.isFinite(bound) || (i > 0 && bound <= family.bounds[i - 1]!)) {
      throw new Error(
        `histogram ${family.name}: bucket bounds must be finite and increasing (got ${family.bounds.join(', ')})`,
      );
    }
  });
  for (const series of family.series) {
    if ('le' in (series.labels ?? {})) throw new Error(`histogram ${family.name}: "le" is reserved for bucket bounds`);
    if (series.counts.length !== family.bounds.length + 1) {
      throw new Error(
        `histogram ${family.name}: ${family.bounds.length} bounds need ${family.bounds.length + 1} counts`,
      );
    }
  }
  new PrecountedHistogram(registry, family);
}
