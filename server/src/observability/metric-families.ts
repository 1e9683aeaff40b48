/**
 * The metric families of `/metrics` as plain data: the collectors compute them from the
 * database at each scrape, and `prom-exposition.ts` renders them with prom-client.
 */

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
