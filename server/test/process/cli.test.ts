import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runWeir } from '../support/weir-process.js';

const PROJECT = fileURLToPath(new URL('../fixtures/cli-project/index.ts', import.meta.url));

// Without a running `weir dev`, commands open the data directory themselves.
describe('the weir CLI on its own data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-cli-'));
  const env = { WEIR_PROJECT: PROJECT, WEIR_DATA_DIR: join(dir, '.weir') };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('materialize exits 1 when the run fails, with a summary naming the failure and the skipped step', async () => {
    const result = await runWeir(['materialize', '*'], env);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/cli\/good\s+succeeded\s+1/);
    expect(result.output).toMatch(/cli\/broken\s+failed\s+1 .*the input file is malformed/);
    expect(result.output).toMatch(/cli\/after\s+skipped/);
    expect(result.output).toMatch(/run [0-9a-f-]{36} failed/);
  });

  it('materialize exits 0 on success and later commands see the runs', async () => {
    const ok = await runWeir(['materialize', 'group:ok'], env);
    expect(ok.code, ok.output).toBe(0);
    expect(ok.output).toMatch(/cli\/good\s+succeeded/);
    expect(ok.output).toContain('rows=3');
    const runs = await runWeir(['runs', '--json'], env);
    expect(runs.code).toBe(0);
    const listed = JSON.parse(runs.output) as Array<{ status: string; selection: string }>;
    expect(listed.map((r) => [r.selection, r.status])).toEqual([
      ['group:ok', 'succeeded'],
      ['*', 'failed'],
    ]);
  });

  it('reexecute reuses what succeeded, and cancel refuses a run that has ended', async () => {
    const runs = JSON.parse((await runWeir(['runs', '--json'], env)).output) as Array<{ id: string; status: string }>;
    const failed = runs.find((r) => r.status === 'failed')!;
    const again = await runWeir(['reexecute', failed.id.slice(0, 8)], env);
    expect(again.code).toBe(1);
    expect(again.output).toContain('2 to run, 1 reused');
    expect(again.output).toMatch(/cli\/good\s+succeeded\s+0/);
    expect(again.output).toMatch(/cli\/broken\s+failed\s+1/);
    const cancel = await runWeir(['cancel', failed.id], env);
    expect(cancel.code).toBe(2);
    expect(cancel.output).toContain('has already ended (failed)');
  });

  it('rejects a selection that matches nothing, naming it and suggesting a key, with exit code 2', async () => {
    const result = await runWeir(['materialize', 'cli/goood'], env);
    expect(result.code).toBe(2);
    expect(result.output).toContain('cli/goood');
    expect(result.output).toContain("did you mean 'cli/good'");
  });

  it('graph validates and prints the assets in dependency order', async () => {
    const result = await runWeir(['graph'], env);
    expect(result.code).toBe(0);
    const order = ['cli/good', 'cli/broken', 'cli/after'].map((key) => result.output.indexOf(key));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(result.output).toMatch(/3 assets from .*index\.ts .* valid/);
  });

  it('logs reports an unknown run id clearly', async () => {
    const result = await runWeir(['logs', 'ffffffff'], env);
    expect(result.code).toBe(2);
    expect(result.output).toContain("no run matches 'ffffffff'");
  });

  it('prints --help for every command', async () => {
    for (const command of [
      [],
      ['dev'],
      ['server'],
      ['worker'],
      ['materialize'],
      ['backfill'],
      ['partitions'],
      ['graph'],
      ['runs'],
      ['logs'],
      ['reexecute'],
      ['cancel'],
      ['gc'],
      ['init'],
      ['test'],
    ]) {
      const result = await runWeir([...command, '--help'], env);
      expect(result.code, command.join(' ')).toBe(0);
      expect(result.output).toContain('Usage: weir');
    }
    // A dozen CLI starts in a row (each imports the whole CLI): slow on a busy 2-core machine.
  }, 150_000);

  it('names a bad configuration value', async () => {
    const result = await runWeir(['runs'], { ...env, WEIR_INLINE_LIMIT: 'lots' });
    expect(result.code).toBe(2);
    expect(result.output).toContain('WEIR_INLINE_LIMIT="lots" is invalid');
  });
});
