import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject, resolveProjectEntry } from '../../src/project/project-loader.js';
import { edit, fixture, load, lineOf, rejectionOf, TempProjects } from './fixture-support.js';

const temp = new TempProjects();
afterEach(() => temp.cleanup());

const VALID_FILES = ['index.ts', 'sources.ts', 'orders.ts', 'revenue.ts'];

describe('loadProject: a valid project', () => {
  it('loads every asset, upstream first', async () => {
    const project = await load(fixture('valid'));
    const { graph } = project;
    expect(project.entry).toBe(join(fixture('valid'), 'index.ts'));
    expect(graph.keys).toEqual([
      'bronze/vendor-feed',
      'bronze/orders',
      'silver/orders',
      'gold/revenue',
      'gold/revenue-report',
    ]);
    // Topological: every upstream comes before its downstream.
    for (const [position, key] of graph.keys.entries()) {
      for (const upstream of graph.upstreamOf(key)) expect(graph.keys.indexOf(upstream)).toBeLessThan(position);
    }
    expect(graph.upstreamOf('gold/revenue-report')).toEqual(['gold/revenue']);
    expect(graph.inputsOf('silver/orders')).toEqual([{ name: 'raw', key: 'bronze/orders' }]);
    expect(graph.get('bronze/vendor-feed').kind).toBe('source');
    const revenue = graph.get('gold/revenue');
    expect(revenue.kind === 'asset' && revenue.retry).toEqual({ maxAttempts: 2, backoff: 'fixed', delay: '1s' });
    expect(revenue.definedAt).toContain(
      `valid/${lineOf(join(fixture('valid'), 'revenue.ts'), 'export const revenue = asset(')}`,
    );
  });

  it('gives the right definedAt line even when Error.prepareStackTrace is overridden', async () => {
    const { graph } = await loadProject(fixture('valid'));
    expect(graph.get('gold/revenue').definedAt).toContain(
      `valid/${lineOf(join(fixture('valid'), 'revenue.ts'), 'export const revenue = asset(')}`,
    );
  });

  it("lists the project's files", async () => {
    const { files } = await load(fixture('valid'));
    for (const file of VALID_FILES) expect(files).toContain(join(fixture('valid'), file));
    expect(new Set(files).size).toBe(files.length);
  });

  it('accepts the entry file itself as the project path', async () => {
    const entry = join(fixture('valid'), 'index.ts');
    expect(resolveProjectEntry(entry)).toBe(entry);
    const byFolder = await load(fixture('valid'));
    const byFile = await load(entry);
    expect(byFile.graph.keys).toEqual(byFolder.graph.keys);
    expect(byFile.graph.hash).toBe(byFolder.graph.hash);
  });

  it('uses package.json "main" as the entry when there is one', async () => {
    const dir = temp.copy('valid', { type: 'module', main: 'revenue.ts' });
    const project = await load(dir);
    expect(project.entry).toBe(join(dir, 'revenue.ts'));
    // revenue.ts exports only gold assets; their upstreams are collected through their deps.
    // gold/revenue-report depends on gold/revenue by key, which revenue.ts exports too.
    expect(project.graph.keys).toEqual([
      'bronze/vendor-feed',
      'bronze/orders',
      'silver/orders',
      'gold/revenue',
      'gold/revenue-report',
    ]);
  });
});

describe('loadProject: reloading', () => {
  it('gives the same hash for an unchanged project', async () => {
    const dir = temp.copy('valid');
    const first = await load(dir);
    const second = await load(dir);
    expect(second.graph).not.toBe(first.graph);
    expect(second.graph.hash).toBe(first.graph.hash);
  });

  it('sees edits to an imported file (not only the entry): a new codeVersion gives a new hash', async () => {
    const dir = temp.copy('valid');
    const before = await load(dir);
    expect(before.files).toContain(join(dir, 'orders.ts'));
    edit(join(dir, 'orders.ts'), "codeVersion: 'v1'", "codeVersion: 'v2'");
    const after = await load(dir);
    expect(after.graph.hash).not.toBe(before.graph.hash);
    const orders = after.graph.get('silver/orders');
    expect(orders.kind === 'asset' && orders.codeVersion).toBe('v2');
  });

  it('sees a new dependency, and a file that became broken, then fixed', async () => {
    const dir = temp.copy('valid');
    const revenue = join(dir, 'revenue.ts');
    await load(dir);

    edit(revenue, "deps: { revenue: 'gold/revenue' }", "deps: { revenue: 'gold/revenue', orders: 'silver/orders' }");
    const rewired = await load(dir);
    expect(rewired.graph.upstreamOf('gold/revenue-report')).toEqual(['silver/orders', 'gold/revenue']);

    edit(revenue, "orders: 'silver/orders' }", "orders: 'silver/ordrs' }");
    const error = await rejectionOf(load(dir));
    expect(error.message).toMatch(/did you mean 'silver\/orders'/);

    edit(revenue, "orders: 'silver/ordrs' }", "orders: 'silver/orders' }");
    expect((await load(dir)).graph.hash).toBe(rewired.graph.hash);
  });

  it('sees edits in a project without "type": "module" (CommonJS)', async () => {
    const dir = temp.copy('valid', null);
    const before = await load(dir);
    edit(join(dir, 'orders.ts'), "codeVersion: 'v1'", "codeVersion: 'v2'");
    const after = await load(dir);
    expect(after.graph.hash).not.toBe(before.graph.hash);
  });
});
