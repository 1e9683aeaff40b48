import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/engine-harness.js';
import { killHard, spawnWeir, waitForApi, type WeirProcess } from '../support/weir-process.js';

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
      (await (await fetch(`${api}/healthz`)).json()) as { assets: number; definitionsHash: string };
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
  });
});
