import { describe, expect, it } from 'vitest';
import { closestKey, didYouMean } from './closest-key.js';

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
