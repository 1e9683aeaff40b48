/**
 * Points of a metadata series → an SVG line: x by time, y by value (up is more), inside a box
 * with padding. Pure, so the scaling is tested without a DOM. No chart library: a line and a
 * few labels are all the asset page needs.
 */

export interface ChartPoint {
  /** Milliseconds since the epoch. */
  t: number;
  value: number;
}

export interface ChartBox {
  width: number;
  height: number;
  padding: number;
}

export interface ChartGeometry {
  /** `M x y L x y …`, empty for no points. */
  path: string;
  /** The points in SVG coordinates, in time order. */
  points: { x: number; y: number }[];
  min: number;
  max: number;
  from: number;
  to: number;
}

const round = (value: number) => Math.round(value * 100) / 100;

export function chartGeometry(input: readonly ChartPoint[], box: ChartBox): ChartGeometry {
  const sorted = input.filter((point) => Number.isFinite(point.t) && Number.isFinite(point.value));
  sorted.sort((a, b) => a.t - b.t);
  if (sorted.length === 0) return { path: '', points: [], min: 0, max: 0, from: 0, to: 0 };

  const min = Math.min(...sorted.map((point) => point.value));
  const max = Math.max(...sorted.map((point) => point.value));
  const from = sorted[0]!.t;
  const to = sorted[sorted.length - 1]!.t;
  const innerWidth = box.width - 2 * box.padding;
  const innerHeight = box.height - 2 * box.padding;

  const points = sorted.map((point) => ({
    // One point, or all at one instant: centred; a flat series: drawn at mid-height.
    x: round(box.padding + (to === from ? innerWidth / 2 : ((point.t - from) / (to - from)) * innerWidth)),
    y: round(box.padding + (max === min ? innerHeight / 2 : (1 - (point.value - min) / (max - min)) * innerHeight)),
  }));
  const path = points.map((point, i) => `${i === 0 ? 'M' : 'L'}${point.x} ${point.y}`).join(' ');
  return { path, points, min, max, from, to };
}

/** Compact numbers for axis labels: 1234567 → "1.23M", 0.0123 → "0.0123". */
export function formatMetric(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${+(value / 1e9).toPrecision(3)}B`;
  if (abs >= 1e6) return `${+(value / 1e6).toPrecision(3)}M`;
  if (abs >= 1e4) return `${+(value / 1e3).toPrecision(3)}k`;
  if (abs === 0 || abs >= 1) return `${+value.toPrecision(4)}`;
  return `${+value.toPrecision(3)}`;
}
