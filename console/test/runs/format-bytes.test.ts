import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/runs/format-bytes';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [812, '812 B'],
    [14_540, '14 KB'],
    [5_222, '5.1 KB'],
    // Past a 32-bit integer: the sizes the database now keeps as bigint.
    [3_000_000_000, '2.8 GB'],
    [2 ** 31, '2.0 GB'],
    [5 * 1024 ** 4, '5.0 TB'],
    [3 * 1024 ** 5, '3.0 PB'],
  ])('shows %d bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
