import { describe, expect, it } from 'vitest';
import { InvalidObjectKeyError, joinObjectKey, validateObjectKey } from './object-key.js';

describe('validateObjectKey', () => {
  it('accepts relative slash-separated keys', () => {
    expect(validateObjectKey('runs/r1/s1/a1/output.json')).toBe('runs/r1/s1/a1/output.json');
    expect(validateObjectKey('..hidden/x..y')).toBe('..hidden/x..y');
  });

  it.each([
    ['', 'must not be empty'],
    ['/runs/r1', 'must be relative'],
    ['runs/../etc/passwd', 'must not contain ".." segments'],
    ['..', 'must not contain ".." segments'],
    ['runs/./x', 'must not contain "." segments'],
    ['runs//x', 'empty segments'],
    ['runs/x/', 'empty segments'],
    ['runs\\x', 'no "\\"'],
    ['runs/x\u0000y', 'control characters'],
    ['a'.repeat(1025), 'at most 1024 bytes'],
  ])('rejects %j with a message naming the key and the problem', (key, problem) => {
    const attempt = () => validateObjectKey(key);
    expect(attempt).toThrow(InvalidObjectKeyError);
    expect(attempt).toThrow(problem);
    expect(attempt).toThrow(JSON.stringify(key).slice(0, 40));
  });

  it('validates joined keys', () => {
    expect(joinObjectKey('runs/r1', 'output.bin')).toBe('runs/r1/output.bin');
    expect(() => joinObjectKey('runs/r1', '../../x')).toThrow(/"runs\/r1\/..\/..\/x".*"\.\." segments/);
  });
});
