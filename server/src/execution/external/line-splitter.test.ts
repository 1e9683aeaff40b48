import { describe, expect, it } from 'vitest';
import { LineSplitter, MAX_LINE_CHARS } from './line-splitter.js';

function split(chunks: readonly (string | Buffer)[]): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  splitter.end();
  return lines;
}

describe('LineSplitter', () => {
  it('cuts lines across chunks, \\r\\n like \\n, keeps empty lines, and emits an unterminated last line at the end', () => {
    expect(split(['one\ntw', 'o\r', '\nthree\n\nfou', 'r'])).toEqual(['one', 'two', 'three', '', 'four']);
    expect(split(['a\n'])).toEqual(['a']);
    expect(split([])).toEqual([]);
  });

  it('decodes a UTF-8 character split across chunks whole', () => {
    const bytes = Buffer.from('café ☕\n');
    const lines = split([...bytes].map((byte) => Buffer.from([byte])));
    expect(lines).toEqual(['café ☕']);
  });

  it('emits an over-long line in pieces of MAX_LINE_CHARS instead of buffering it', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push(Buffer.from('x'.repeat(MAX_LINE_CHARS * 2 + 5)));
    // Two full pieces are out before the line ends: memory stays bounded.
    expect(lines.map((line) => line.length)).toEqual([MAX_LINE_CHARS, MAX_LINE_CHARS]);
    splitter.push(Buffer.from('\nnext\n'));
    splitter.end();
    expect(lines.map((line) => line.length)).toEqual([MAX_LINE_CHARS, MAX_LINE_CHARS, 5, 4]);
  });

  it('does not turn the \\r of a \\r\\n split at the length limit into an empty line', () => {
    const line = 'y'.repeat(MAX_LINE_CHARS);
    expect(split([`${line}\r`, '\nafter\n'])).toEqual([line, 'after']);
  });
});
