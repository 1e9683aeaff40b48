import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackfillView } from '../../src/backfills/backfill-store.js';
import { runWeir } from '../support/weir-process.js';

const PROJECT = fileURLToPath(new URL('../fixtures/backfill-project/index.ts', import.meta.url));

// Without a running `weir dev`: `weir backfill` runs the backfill in its own process.
describe('weir backfill and weir partitions on their own data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-backfill-cli-'));
  const calls = join(dir, 'calls.log');
  const env = { WEIR_PROJECT: PROJECT, WEIR_DATA_DIR: join(dir, '.weir'), WEIR_TEST_CALLS: calls };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows progress and a summary, and exits 0 when every partition succeeded', async () => {
    const result = await runWeir(['backfill', 'backfill/days', '--from', '2025-01-01', '--to', '2025-01-10'], env);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(
      /backfill [0-9a-f-]{36} · 10 partitions of 'backfill\/days' · at most 4 runs at once · in this process/,
    );
    // Without a terminal, progress is a line at each tenth of the way.
    expect(result.output).toMatch(/\d+\/10 partitions · \d+ running/);
    expect(result.output).toMatch(/backfill [0-9a-f-]{36} succeeded: 10 of 10 partitions succeeded in /);
    expect(result.output).not.toContain('failed partitions');
    expect(readFileSync(calls, 'utf8').trim().split('\n').sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `2025-01-${String(i + 1).padStart(2, '0')}#1`),
    );
  });

  it('exits 1 when partitions fail, listing them with their error and run', async () => {
    const result = await runWeir(
      ['backfill', 'backfill/days', '--partitions', '2025-02-01,2025-02-02,2025-02-03', '--max-runs', '2'],
      { ...env, WEIR_TEST_FAIL_ON: '2025-02-02' },
    );
    expect(result.code, result.output).toBe(1);
    expect(result.output).toMatch(/backfill [0-9a-f-]{36} failed: 2 succeeded, 1 failed of 3 partitions in /);
    expect(result.output).toContain('failed partitions:');
    expect(result.output).toMatch(
      /2025-02-02\s+[0-9a-f]{8}\s+backfill\/days: no data for 2025-02-02\s+weir logs [0-9a-f]{8}/,
    );
    const id = /backfill ([0-9a-f-]{36}) failed/.exec(result.output)![1]!;
    expect(result.output).toContain(`weir backfill --retry-failed ${id}`);

    // Fixed: the retry runs only the failed partition, and the backfill succeeds.
    const before = readFileSync(calls, 'utf8');
    const retry = await runWeir(['backfill', '--retry-failed', id], env);
    expect(retry.code, retry.output).toBe(0);
    expect(retry.output).toContain(`backfill ${id} · retrying 1 failed partition(s) of 'backfill/days'`);
    expect(retry.output).toMatch(new RegExp(`backfill ${id} succeeded: 3 of 3 partitions succeeded`));
    expect(readFileSync(calls, 'utf8').slice(before.length)).toBe('2025-02-02#1\n');

    // Nothing left to retry, and a retry takes no selection: both named, exit code 2.
    const again = await runWeir(['backfill', '--retry-failed', id], env);
    expect(again.code).toBe(2);
    expect(again.output).toContain(
      `backfill ${id} is succeeded: only the partitions of a failed backfill can be retried`,
    );
    const mixed = await runWeir(['backfill', 'backfill/days', '--retry-failed', id], env);
    expect(mixed.code).toBe(2);
    expect(mixed.output).toContain('--retry-failed takes no selection');
  });

  it('prints the final backfill as JSON with --json', async () => {
    const result = await runWeir(
      ['backfill', 'backfill/days', '--from', '2025-03-01', '--to', '2025-03-03', '--json'],
      env,
    );
    expect(result.code, result.output).toBe(0);
    const view = JSON.parse(result.output.slice(result.output.indexOf('{'))) as BackfillView;
    expect(view).toMatchObject({ status: 'succeeded', total: 3, counts: { succeeded: 3, failed: 0 } });
    expect(view.partitions.map((p) => [p.key, p.status])).toEqual([
      ['2025-03-01', 'succeeded'],
      ['2025-03-02', 'succeeded'],
      ['2025-03-03', 'succeeded'],
    ]);
  });

  it('names bad input with exit code 2', async () => {
    const none = await runWeir(['backfill', 'backfill/days'], env);
    expect(none.code).toBe(2);
    expect(none.output).toContain('a backfill needs partitions: --from A --to B, or --partitions a,b');
    const bad = await runWeir(['backfill', 'backfill/days', '--from', '2025-1-1', '--to', '2025-01-05'], env);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain("backfill/days: --from '2025-1-1' is not a daily partition key: expected YYYY-MM-DD");
    const mixed = await runWeir(['backfill', '*', '--partitions', 'acme'], env);
    expect(mixed.code).toBe(2);
    expect(mixed.output).toContain('the selection mixes partitions');
    const half = await runWeir(['materialize', 'backfill/days', '--from', '2025-01-01'], env);
    expect(half.code).toBe(2);
    expect(half.output).toContain('--from and --to go together');
  });

  it('materializes chosen partitions, adds dynamic partitions and lists partitions', async () => {
    const some = await runWeir(['materialize', 'backfill/days', '--partitions', '2025-04-01,2025-04-02'], env);
    expect(some.code, some.output).toBe(0);
    expect(some.output).toMatch(/backfill\/days \[2025-04-01\]\s+succeeded/);
    expect(some.output).toMatch(/backfill\/days \[2025-04-02\]\s+succeeded/);

    const added = await runWeir(['partitions', 'add', 'customers', 'acme', 'globex'], env);
    expect(added.code, added.output).toBe(0);
    expect(added.output).toContain("added 2 partition(s) to 'customers': acme, globex");
    const again = await runWeir(['partitions', 'add', 'customers', 'globex', 'initech'], env);
    expect(again.output).toContain("added 1 partition(s) to 'customers': initech (already there: globex)");
    const unknown = await runWeir(['partitions', 'add', 'vendors', 'x'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain("no asset uses dynamic partitions 'vendors' (sets in use: customers)");

    const all = await runWeir(['materialize', 'backfill/customers'], env);
    expect(all.code, all.output).toBe(0);
    expect(all.output).toMatch(/backfill\/customers \[initech\]\s+succeeded/);

    const listed = await runWeir(['partitions', 'list', 'backfill/customers'], env);
    expect(listed.code, listed.output).toBe(0);
    expect(listed.output).toMatch(/acme\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\s+[0-9a-f]{8}/);
    expect(listed.output).toContain("backfill/customers: dynamic 'customers' · 3 of 3 partitions materialized");
    const days = await runWeir(['partitions', 'list', 'backfill/days', '--json'], env);
    const view = JSON.parse(days.output.slice(days.output.indexOf('{'))) as {
      partitions: Array<{ key: string; materializedAt: string | null }>;
    };
    expect(view.partitions[0]!.key).toBe('2025-01-01');
    expect(view.partitions.filter((p) => p.materializedAt).map((p) => p.key)).toHaveLength(10 + 3 + 3 + 2); // February's failed day was retried
    // Seven `weir` processes in a row, each opening the data directory (and isolates to run steps).
  }, 150_000);

  it('prints --help for the new commands', async () => {
    for (const command of [['backfill'], ['partitions'], ['partitions', 'add'], ['partitions', 'list']]) {
      const result = await runWeir([...command, '--help'], env);
      expect(result.code, command.join(' ')).toBe(0);
      expect(result.output).toContain('Usage: weir');
    }
  });
});
