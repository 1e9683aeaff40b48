import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProjectLoadError } from '../../src/project/project-loader.js';
import { AssetDefinitionError } from '../../src/index.js';
import { edit, fixture, load, lineOf, rejectionOf, TempProjects } from './fixture-support.js';

/**
 * What `loadProject` reports for broken asset projects (fixtures/<name>/). Assertions are on
 * the content of messages (asset keys, input names, file names with their line), never on the
 * exact wording, so that messages can be reworded freely as long as they stay useful.
 */

/** `<fixture>/<file>:<line>` of the line of a fixture file containing `text`. */
const where = (name: string, file: string, text: string): string =>
  `${name}/${lineOf(join(fixture(name), file), text)}`;

const temp = new TempProjects();
afterEach(() => temp.cleanup());

describe('loadProject: invalid graphs', () => {
  it('reports a dependency cycle across two files with its path and both files', async () => {
    const error = await rejectionOf(load(fixture('cycle')));
    expect(error).toBeInstanceOf(AssetDefinitionError);
    const alphaAt = where('cycle', 'alpha.ts', '= asset(');
    const betaAt = where('cycle', 'beta.ts', '= asset(');
    expect(error.message).toMatch(/cycle/i);
    // The path, in order, closed back on its first asset: alpha → beta → alpha.
    expect(error.message).toMatch(
      /cycle\/alpha \([^)]*alpha\.ts:\d+\) → cycle\/beta \([^)]*beta\.ts:\d+\) → cycle\/alpha/,
    );
    expect(error.message).toContain(alphaAt);
    expect(error.message).toContain(betaAt);
    expect((error as AssetDefinitionError).culprits.map((c) => c.key).sort()).toEqual(['cycle/alpha', 'cycle/beta']);
  });

  it('reports an unknown dependency with the asset, input, missing key, file and a suggestion', async () => {
    const error = await rejectionOf(load(fixture('unknown-dependency')));
    expect(error).toBeInstanceOf(AssetDefinitionError);
    expect(error.message).toContain("'gold/revenue'");
    expect(error.message).toContain("'orders'");
    expect(error.message).toContain("'silver/order'");
    expect(error.message).toMatch(/did you mean 'silver\/orders'\?/);
    expect(error.message).toContain(where('unknown-dependency', 'revenue.ts', '= asset('));
    // Only the asset with the bad dependency is blamed.
    expect(error.message).not.toContain('orders.ts');
  });

  it('reports a key defined in two files, naming both files', async () => {
    const error = await rejectionOf(load(fixture('duplicate-key')));
    expect(error).toBeInstanceOf(AssetDefinitionError);
    expect(error.message).toContain("'silver/orders'");
    expect(error.message).toMatch(/2 times|twice|duplicate/i);
    expect(error.message).toContain(where('duplicate-key', 'orders.ts', '= asset('));
    expect(error.message).toContain(where('duplicate-key', 'legacy.ts', '= asset('));
    expect((error as AssetDefinitionError).culprits).toHaveLength(2);
  });
});

describe('loadProject: invalid retry policies (thrown by asset() while the file is imported)', () => {
  it.each([
    { name: 'retry-max-attempts', problem: /maxAttempts.*\b0\b/ },
    { name: 'retry-backoff', problem: /backoff.*linear/ },
    { name: 'retry-delay', problem: /delay.*soon/ },
  ])('$name: an AssetDefinitionError naming the asset, the field and file:line', async ({ name, problem }) => {
    const error = await rejectionOf(load(fixture(name)));
    // Passed through as is, not wrapped in a ProjectLoadError. (Not `instanceof`: the project
    // imported its own copy of the SDK, so the class is another instance of AssetDefinitionError.)
    expect(error.name).toBe('AssetDefinitionError');
    expect(error).not.toBeInstanceOf(ProjectLoadError);
    expect(error.message).toContain("'gold/revenue'");
    expect(error.message).toMatch(/retry/);
    expect(error.message).toMatch(problem);
    expect(error.message).toContain(where(name, 'revenue.ts', '= asset('));
    expect((error as AssetDefinitionError).culprits).toEqual([
      { key: 'gold/revenue', definedAt: expect.stringContaining(where(name, 'revenue.ts', '= asset(')) },
    ]);
  });
});

describe('loadProject: projects that cannot be imported', () => {
  it('reports a syntax error in a project file as a ProjectLoadError naming the file and line', async () => {
    const dir = temp.copy('valid');
    edit(join(dir, 'orders.ts'), "group: 'silver',", "group: 'silver',,");
    const error = await rejectionOf(load(dir));
    expect(error).toBeInstanceOf(ProjectLoadError);
    expect(error.message).toMatch(/orders\.ts:\d+/);
  });

  it('reports an import of a missing module as a ProjectLoadError naming the module and the importing file', async () => {
    const error = await rejectionOf(load(fixture('import-error')));
    expect(error).toBeInstanceOf(ProjectLoadError);
    expect(error.message).toContain('import-error/index.ts');
    expect(error.message).toContain('clean-orders.js');
    expect(error.message).toContain('import-error/orders.ts');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('reports an error thrown while a project file is evaluated, naming that file', async () => {
    const error = await rejectionOf(load(fixture('throws-at-import')));
    expect(error).toBeInstanceOf(ProjectLoadError);
    expect(error.message).toContain('WEIR_FIXTURE_UNSET_API_KEY');
    // The throw is in config.ts:4, called from orders.ts:5 while it is evaluated: either will do.
    expect(error.message).toMatch(/(config|orders)\.ts:\d+/);
  });

  it('reports an import of a name a module does not export, naming the importing file', async () => {
    const error = await rejectionOf(load(fixture('missing-export')));
    expect(error).toBeInstanceOf(ProjectLoadError);
    expect(error.message).toContain('vendorFeed');
    expect(error.message).toContain('orders.ts');
  });

  it('still reports what it can for those two: the entry and the original message', async () => {
    const thrown = await rejectionOf(load(fixture('throws-at-import')));
    expect(thrown).toBeInstanceOf(ProjectLoadError);
    expect(thrown.message).toContain('throws-at-import/index.ts');
    expect(thrown.message).toContain('missing environment variable WEIR_FIXTURE_UNSET_API_KEY');
    const missing = await rejectionOf(load(fixture('missing-export')));
    expect(missing).toBeInstanceOf(ProjectLoadError);
    expect(missing.message).toContain('missing-export/index.ts');
    expect(missing.message).toMatch(/vendorFeed/);
  });

  it('reports a project path that does not exist, naming it', async () => {
    const path = join(fixture('valid'), '..', 'no-such-project');
    const error = await rejectionOf(load(path));
    expect(error).toBeInstanceOf(ProjectLoadError);
    expect(error.message).toContain('no-such-project');
    expect(error.message).toMatch(/not found/);
  });

  it('reports a folder without an entry module, listing what it looked for', async () => {
    const dir = temp.empty();
    const error = await rejectionOf(load(dir));
    expect(error).toBeInstanceOf(ProjectLoadError);
    expect(error.message).toContain(dir);
    expect(error.message).toContain('index.ts');
  });

  it('reports a project that exports no assets, naming its entry', async () => {
    const error = await rejectionOf(load(fixture('no-assets')));
    expect(error).toBeInstanceOf(ProjectLoadError);
    expect(error.message).toContain('no-assets/index.ts');
    expect(error.message).toMatch(/no assets/);
    expect(error.message).toContain('asset()');
  });
});
