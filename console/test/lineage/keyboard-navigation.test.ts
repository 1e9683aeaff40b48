import { describe, expect, it } from 'vitest';
import { firstNode, isArrowKey, nextNode, type Point } from '../../src/lineage/keyboard-navigation';

// Three columns, as a left-to-right layout draws bronze → silver → gold:
//   a(0,0)   c(100,0)   e(200,0)
//   b(0,50)  d(100,60)
const positions = new Map<string, Point>([
  ['a', { x: 0, y: 0 }],
  ['b', { x: 0, y: 50 }],
  ['c', { x: 100, y: 0 }],
  ['d', { x: 100, y: 60 }],
  ['e', { x: 200, y: 0 }],
]);

describe('keyboard navigation of the lineage', () => {
  it('moves to the nearest node in the arrow’s direction, preferring the same row', () => {
    expect(nextNode('a', 'ArrowRight', positions)).toBe('c');
    expect(nextNode('b', 'ArrowRight', positions)).toBe('d');
    expect(nextNode('c', 'ArrowRight', positions)).toBe('e');
    expect(nextNode('e', 'ArrowLeft', positions)).toBe('c');
    expect(nextNode('a', 'ArrowDown', positions)).toBe('b');
    expect(nextNode('d', 'ArrowUp', positions)).toBe('c');
  });

  it('stays put when nothing lies that way, or the node is unknown', () => {
    expect(nextNode('e', 'ArrowRight', positions)).toBe('e');
    expect(nextNode('a', 'ArrowUp', positions)).toBe('a');
    expect(nextNode('zz', 'ArrowRight', positions)).toBe('zz');
  });

  it('starts at the top-left node, and knows its keys', () => {
    expect(firstNode(positions)).toBe('a');
    expect(firstNode(new Map())).toBeNull();
    expect(isArrowKey('ArrowLeft')).toBe(true);
    expect(isArrowKey('Enter')).toBe(false);
  });
});
