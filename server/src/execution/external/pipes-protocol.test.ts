import { describe, expect, it } from 'vitest';
import { parsePipesMessage, progressLine, type PipesMessage } from './pipes-protocol.js';

const parse = (value: unknown) => parsePipesMessage(typeof value === 'string' ? value : JSON.stringify(value));

describe('parsePipesMessage (protocol v1)', () => {
  it('reads metadata, checks (severity error by default), log lines (level info by default) and progress', () => {
    expect(parse({ type: 'metadata', values: { rows: 120, table: 'orders', fresh: true } })).toEqual({
      type: 'metadata',
      values: { rows: 120, table: 'orders', fresh: true },
    });
    expect(parse({ type: 'check', name: 'no nulls', passed: false, message: 3, metadata: { nulls: 3 } })).toEqual({
      type: 'check',
      check: { name: 'no nulls', passed: false, severity: 'error', message: '3', metadata: { nulls: 3 } },
    });
    expect(parse({ type: 'check', name: 'soft', passed: true, severity: 'warn', message: null })).toEqual({
      type: 'check',
      check: { name: 'soft', passed: true, severity: 'warn', message: null, metadata: {} },
    });
    expect(parse({ type: 'log', message: 'hello', fields: { table: 'orders' } })).toEqual({
      type: 'log',
      level: 'info',
      message: 'hello',
      fields: { table: 'orders' },
    });
    expect(parse({ type: 'log', level: 'error', message: 'bad', fields: [1] })).toEqual({
      type: 'log',
      level: 'error',
      message: 'bad',
      fields: {},
    });
    expect(parse({ type: 'progress', done: 3, total: 10, message: 'loading' })).toEqual({
      type: 'progress',
      done: 3,
      total: 10,
      message: 'loading',
    });
    expect(parse({ type: 'progress', done: 3, total: 0 })).toEqual({
      type: 'progress',
      done: 3,
      total: null,
      message: null,
    });
  });

  it('says what is wrong with a malformed line instead of throwing', () => {
    expect(parse('{"type": "metadata", ')).toBe('not a JSON object');
    expect(parse('[1,2]')).toBe('not a JSON object');
    expect(parse('null')).toBe('not a JSON object');
    expect(parse({ type: 'nope' })).toBe('unknown message type "nope" (expected log, metadata, check or progress)');
    expect(parse({ values: {} })).toMatch(/^unknown message type undefined/);
    expect(parse({ type: 'log', level: 'loud', message: 'x' })).toBe(
      'log level "loud" is not one of debug, info, warn, error',
    );
    expect(parse({ type: 'log', message: 42 })).toBe("a log message needs a string 'message'");
    expect(parse({ type: 'metadata', values: [1] })).toBe('metadata must be an object');
    expect(parse({ type: 'metadata', values: { rows: null } })).toBe(
      "metadata 'rows' must be a number, string or boolean (got null)",
    );
    expect(parse({ type: 'metadata', values: { nested: { a: 1 } } })).toBe(
      "metadata 'nested' must be a number, string or boolean (got object)",
    );
    expect(parse({ type: 'check', name: ' ', passed: true })).toBe("a check needs a non-empty 'name'");
    expect(parse({ type: 'check', name: 'c', passed: 'yes' })).toBe("check 'c' needs a boolean 'passed'");
    expect(parse({ type: 'check', name: 'c', passed: true, severity: 'fatal' })).toBe(
      `check 'c' has severity "fatal": use 'warn' or 'error'`,
    );
    expect(parse({ type: 'check', name: 'c', passed: true, metadata: { x: [1] } })).toBe(
      "check 'c' metadata 'x' must be a number, string or boolean (got object)",
    );
    expect(parse({ type: 'progress', done: '3' })).toBe("progress needs a number 'done'");
  });
});

describe('progressLine', () => {
  const progress = (done: number, total: number | null, message: string | null) =>
    ({ type: 'progress', done, total, message }) as Extract<PipesMessage, { type: 'progress' }>;

  it('shows done/total with a rounded percentage, or only done without a total', () => {
    expect(progressLine(progress(3, 10, 'loading'))).toBe('progress 3/10 (30%): loading');
    expect(progressLine(progress(1, 3, null))).toBe('progress 1/3 (33%)');
    expect(progressLine(progress(7, null, 'rows'))).toBe('progress 7: rows');
  });
});
