/**
 * Folds a very wide layout into rows, like text: a long chain of groups (or a pipeline of many
 * steps) laid out left to right can be 20 times wider than tall, and fitting it on screen makes
 * every node a speck. Whole columns (ranks) move together, so within a row the flow still reads
 * left to right, and row after row continues it.
 */
import type { Point, UnitLayout } from './layout-types';

/** Only layouts wider than this are folded: smaller ones are readable when fitted anyway. */
export const WRAP_MIN_WIDTH = 6_000;
/** Roughly a screen's shape: the rows aim at this width / height ratio. */
const TARGET_ASPECT = 1.6;

export function wrapWideLayout(layout: UnitLayout, widths: ReadonlyMap<string, number>, rowGap: number): UnitLayout {
  if (layout.width < WRAP_MIN_WIDTH || layout.width <= layout.height * TARGET_ASPECT * 2) return layout;
  const rows = Math.round(Math.sqrt(layout.width / (layout.height * TARGET_ASPECT)));
  if (rows < 2) return layout;
  const rowWidth = layout.width / rows;

  // Columns by their left edge: every node of a rank starts at the same x.
  const columnLeft = new Map<string, number>();
  for (const [id, point] of layout.positions) columnLeft.set(id, point.x - (widths.get(id) ?? 0) / 2);
  const rowOf = (left: number) => Math.min(rows - 1, Math.floor((left + 1) / rowWidth));
  const rowStart = new Array<number>(rows).fill(Infinity);
  for (const left of columnLeft.values()) rowStart[rowOf(left)] = Math.min(rowStart[rowOf(left)]!, left);

  const positions = new Map<string, Point>();
  let width = 0;
  for (const [id, point] of layout.positions) {
    const row = rowOf(columnLeft.get(id)!);
    const x = point.x - rowStart[row]!;
    positions.set(id, { x, y: point.y + row * (layout.height + rowGap) });
    width = Math.max(width, x + (widths.get(id) ?? 0) / 2);
  }
  const used = rowStart.filter(Number.isFinite).length;
  return { positions, width, height: used * layout.height + (used - 1) * rowGap };
}
