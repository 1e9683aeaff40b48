import { describe, expect, it } from 'vitest';
import type { Point } from '../../src/lineage/layout-types';
import { WRAP_MIN_WIDTH, wrapWideLayout } from '../../src/lineage/wrap-rows';

// A chain of 60 columns, 200 wide with 100 between them, 2 nodes per column.
function chain(columns: number) {
  const positions = new Map<string, Point>();
  const widths = new Map<string, number>();
  for (let c = 0; c < columns; c++) {
    for (const [row, y] of [20, 80].entries()) {
      positions.set(`n${c}.${row}`, { x: c * 300 + 100, y });
      widths.set(`n${c}.${row}`, 200);
    }
  }
  return { layout: { positions, width: columns * 300 - 100, height: 100 }, widths };
}

describe('wrapWideLayout', () => {
  it('leaves layouts that fit as they are', () => {
    const { layout, widths } = chain(10);
    expect(layout.width).toBeLessThan(WRAP_MIN_WIDTH);
    expect(wrapWideLayout(layout, widths, 50)).toBe(layout);
  });

  it('folds a long chain into rows that continue one another, keeping columns whole', () => {
    const { layout, widths } = chain(60);
    const wrapped = wrapWideLayout(layout, widths, 50);
    const rowOf = (id: string) => Math.floor(wrapped.positions.get(id)!.y / 150);
    const rows = new Set([...wrapped.positions.keys()].map(rowOf));
    expect(rows.size).toBeGreaterThan(1);
    expect(wrapped.width).toBeLessThan(layout.width / 2);

    for (let c = 0; c < 60; c++) {
      // Both nodes of a column stay together, 60 apart as before.
      expect(rowOf(`n${c}.0`)).toBe(rowOf(`n${c}.1`));
      expect(wrapped.positions.get(`n${c}.1`)!.y - wrapped.positions.get(`n${c}.0`)!.y).toBe(60);
      if (c === 0) continue;
      const before = wrapped.positions.get(`n${c - 1}.0`)!;
      const here = wrapped.positions.get(`n${c}.0`)!;
      // Next column: to the right in the same row, or at the start of the next row.
      if (rowOf(`n${c}.0`) === rowOf(`n${c - 1}.0`)) expect(here.x - before.x).toBe(300);
      else {
        expect(rowOf(`n${c}.0`)).toBe(rowOf(`n${c - 1}.0`) + 1);
        expect(here.x).toBe(100);
      }
    }
    expect(wrapped.height).toBe(rows.size * 100 + (rows.size - 1) * 50);
  });
});
