import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/engine-harness.js';
import { apiFetch, killHard, runWeir, spawnWeir, waitForApi, type WeirProcess } from '../support/weir-process.js';

// Inside the repository (git-ignored) so the project resolves `weir` as a user project would.
const SCRATCH = fileURLToPath(new URL('../.scratch/', import.meta.url));

const project = (codeVersion: string, extra = '') => `import { asset } from 'weir';
export const a = asset({ key: 'reload/a', codeVersion: '${codeVersion}', materialize: async () => 1 });
${extra}
`;

describe('weir dev', () => {
  mkdirSync(SCRATCH, { recursive: true });
  const dir = mkdtempSync(join(SCRATCH, 'reload-'));
  let dev: WeirProcess | undefined;

  afterAll(async () => {
    if (dev && dev.child.exitCode === null) await killHard(dev);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reloads definitions when a project file changes, and keeps them when an edit is broken', async () => {
    writeFileSync(join(dir, 'index.ts'), project('v1'));
    const dataDir = join(dir, '.weir');
    dev = spawnWeir(['dev', '--port', '0'], { WEIR_PROJECT: dir, WEIR_DATA_DIR: dataDir });
    const api = await waitForApi(dataDir, dev);
    const health = async () =>
      ((await (await apiFetch(api, '/readyz')).json()) as { process: { assets: number; definitionsHash: string } })
        .process;
    const first = await health();
    expect(first.assets).toBe(1);

    writeFileSync(
      join(dir, 'index.ts'),
      project(
        'v2',
        "export const b = asset({ key: 'reload/b', deps: { a }, materialize: async (_c, { a }) => a + 1 });",
      ),
    );
    const second = await waitFor(async () => {
      const now = await health();
      return now.definitionsHash !== first.definitionsHash ? now : undefined;
    }, 'the edit to be loaded');
    expect(second.assets).toBe(2);
    expect(dev.output()).toContain('reloaded definitions: 2 assets');

    // A broken edit (an unknown dependency) is reported and the previous definitions stay.
    writeFileSync(
      join(dir, 'index.ts'),
      project(
        'v3',
        "export const c = asset({ key: 'reload/c', deps: { x: 'reload/nope' }, materialize: async () => 1 });",
      ),
    );
    await waitFor(async () => dev!.output().includes('definitions not reloaded'), 'the broken edit to be reported');
    expect(dev.output()).toContain('reload/nope');
    expect((await health()).definitionsHash).toBe(second.definitionsHash);

    // The isolates run the reloaded code: reload/b exists only since the second edit.
    const materialized = await runWeir(['materialize', '+reload/b'], { WEIR_PROJECT: dir, WEIR_DATA_DIR: dataDir });
    expect(materialized.output).toMatch(/reload\/b\s+succeeded/);
  });
});

// A run planned before an edit: its steps that start after it run the new code, unless the edit
// changed what they read (then they fail saying so, rather than read the wrong data).
const gated = (bDeps: string) => `import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { asset } from 'weir';
export const a = asset({ key: 'gate/a', materialize: async () => {
  while (!existsSync(process.env.WEIR_TEST_GATE!)) await sleep(20);
  return 1;
} });
export const c = asset({ key: 'gate/c', materialize: async () => 2 });
export const b = asset({ key: 'gate/b', deps: ${bDeps}, materialize: async () => 3 });
`;

describe('weir dev reloading under a planned run', () => {
  mkdirSync(SCRATCH, { recursive: true });
  const dir = mkdtempSync(join(SCRATCH, 'planned-'));
  let dev: WeirProcess | undefined;

  afterAll(async () => {
    if (dev && dev.child.exitCode === null) await killHard(dev);
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails a step whose inputs changed since its run was planned, naming the change', async () => {
    writeFileSync(join(dir, 'index.ts'), gated('{ a }'));
    const dataDir = join(dir, '.weir');
    const gate = join(dir, 'gate');
    dev = spawnWeir(['dev', '--port', '0'], { WEIR_PROJECT: dir, WEIR_DATA_DIR: dataDir, WEIR_TEST_GATE: gate });
    const api = await waitForApi(dataDir, dev);
    const started = await apiFetch(api, '/api/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ selection: 'gate/a, gate/b' }),
    });
    const runId = ((await started.json()) as { id: string }).id;
    const view = async () =>
      (await (await apiFetch(api, `/api/runs/${runId}`)).json()) as {
        status: string;
        steps: Array<{ assetKey: string; status: string; error: string | null }>;
      };
    await waitFor(
      async () => (await view()).steps.some((s) => s.assetKey === 'gate/a' && s.status === 'running'),
      'gate/a to start',
    );
    writeFileSync(join(dir, 'index.ts'), gated('{ a, c }'));
    await waitFor(async () => dev!.output().includes('reloaded definitions'), 'the edit to be loaded');
    writeFileSync(gate, '');
    const ended = await waitFor(async () => {
      const now = await view();
      return ['succeeded', 'failed'].includes(now.status) ? now : undefined;
    }, 'the run to end');
    expect(ended.status).toBe('failed');
    expect(
      ended.steps.find((step) => step.assetKey === 'gate/a')!,
      dev.output(),
    ).toMatchObject({ status: 'succeeded' });
    const b = ended.steps.find((step) => step.assetKey === 'gate/b')!;
    expect(b.status).toBe('failed');
    expect(b.error).toContain(
      `asset gate/b changed since run ${runId} was planned: its inputs were {"a":"gate/a"}, now {"a":"gate/a","c":"gate/c"}`,
    );
  });
});
