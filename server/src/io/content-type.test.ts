import { describe, expect, it } from 'vitest';
import { contentTypeFor } from './content-type.js';

describe('contentTypeFor', () => {
  it.each([
    ['orders.json', 'application/json'],
    ['dir/orders.CSV', 'text/csv'],
    ['notes.txt', 'text/plain'],
    ['table.parquet', 'application/vnd.apache.parquet'],
    ['events.ndjson', 'application/x-ndjson'],
    ['blob.bin', 'application/octet-stream'],
    ['Makefile', 'application/octet-stream'],
    ['.json', 'application/octet-stream'],
    ['dir.json/file', 'application/octet-stream'],
  ])('%s → %s', (name, type) => {
    expect(contentTypeFor(name)).toBe(type);
  });
});
