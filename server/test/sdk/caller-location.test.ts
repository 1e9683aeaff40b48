import { describe, expect, it } from 'vitest';
import { callerLocation } from '../../src/sdk/caller-location.js';

function definedHere(): string {
  return callerLocation();
}

describe('callerLocation', () => {
  it("names the caller's own file and line, not node internals or weir's files", () => {
    const location = definedHere();
    expect(location).toMatch(/caller-location\.test\.ts:\d+$/);
    expect(location).not.toMatch(/node:|modules\/esm|translators/);
  });
});

describe('callerLocation for a project outside the repository', () => {
  it("names the user's module in os.tmpdir() when called at its top level", async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { pathToFileURL } = await import('node:url');
    const dir = mkdtempSync(join(tmpdir(), 'weir-caller-'));
    try {
      const sdk = pathToFileURL(new URL('../../src/sdk/caller-location.ts', import.meta.url).pathname);
      const file = join(dir, 'user-asset.mjs');
      writeFileSync(file, `import { callerLocation } from '${sdk.href}';\n\nexport const at = callerLocation();\n`);
      const mod = (await import(pathToFileURL(file).href)) as { at: string };
      expect(mod.at).toMatch(/weir-caller-[^/]+\/user-asset\.mjs:\d+$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
