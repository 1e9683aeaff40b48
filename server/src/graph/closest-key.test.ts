import { describe, expect, it } from 'vitest';
import { boundedEditDistance, closestKey, didYouMean } from './closest-key.js';

describe('closestKey', () => {
  const keys = ['bronze/orders', 'silver/orders', 'gold/revenue', 'gold/revenues'];

  it('finds the key one typo away', () => {
    expect(closestKey('silver/order', keys)).toBe('silver/orders');
    expect(closestKey('silvr/orders', keys)).toBe('silver/orders');
    expect(closestKey('gold/revnue', keys)).toBe('gold/revenue');
  });

  it('prefers the smaller distance, then the smaller key', () => {
    expect(closestKey('gold/revenuex', keys)).toBe('gold/revenue');
    expect(closestKey('ab', ['ac', 'aa'])).toBe('aa');
    expect(closestKey('ab', ['aa', 'ac'])).toBe('aa');
  });

  it('suggests nothing when nothing is close, or for the key itself', () => {
    expect(closestKey('platinum/stuff', keys)).toBeUndefined();
    expect(closestKey('gold/revenue', ['gold/revenue'])).toBeUndefined();
    expect(closestKey('x', [])).toBeUndefined();
    expect(closestKey('abc', ['abcdef'], 2)).toBeUndefined();
    expect(closestKey('abc', ['abcde'], 2)).toBe('abcde');
  });

  it('formats the hint', () => {
    expect(didYouMean('silver/order', keys)).toBe(": did you mean 'silver/orders'?");
    expect(didYouMean('zzz', keys)).toBe('');
  });
});

describe('boundedEditDistance', () => {
  function editDistance(a: string, b: string): number {
    const rows = Array.from({ length: a.length + 1 }, (_, i) =>
      Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
    );
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        rows[i]![j] = Math.min(
          rows[i - 1]![j]! + 1,
          rows[i]![j - 1]! + 1,
          rows[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
        );
      }
    }
    return rows[a.length]![b.length]!;
  }

  it('agrees with the full computation up to the limit', () => {
    // Deterministic pseudo-random strings over a small alphabet, so that distances vary.
    let seed = 7;
    const next = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const word = (): string =>
      Array.from({ length: Math.floor(next() * 9) }, () => 'ab/c'[Math.floor(next() * 4)]).join('');
    for (let trial = 0; trial < 2000; trial++) {
      const a = word();
      const b = word();
      const limit = Math.floor(next() * 5);
      const exact = editDistance(a, b);
      expect(boundedEditDistance(a, b, limit), `${a} / ${b} / ${limit}`).toBe(exact <= limit ? exact : limit + 1);
    }
  });
});
