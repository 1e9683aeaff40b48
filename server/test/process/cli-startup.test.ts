import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { WEIR_BIN } from '../support/weir-process.js';

const TRACE = fileURLToPath(new URL('../support/module-trace/register.mjs', import.meta.url));
const SERVER_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** The modules `weir <args>` loads, as paths relative to the server package (or `npm:<package>`). */
async function modulesLoadedBy(args: readonly string[]): Promise<{ stdout: string; modules: string[] }> {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', TRACE, WEIR_BIN, ...args], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  const modules = stderr
    .split('\n')
    .filter((line) => line.startsWith('weir-module-trace '))
    .map((line) => fileURLToPath(line.slice('weir-module-trace '.length)))
    .map((path) => {
      const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
      return inPackage ? `npm:${inPackage[1]}` : path.replace(SERVER_DIR, '');
    });
  return { stdout, modules: [...new Set(modules)] };
}

// `weir --help` and `--version` are typed many times a day: they must not load the engine, the
// database, the API or any dependency but commander (each command imports its work when it runs).
const HEAVY = /^dist\/src\/(engine|api|execution|runs|automation|project|graph|io|freshness|alerts)\/|data-source/;

describe('CLI start-up', () => {
  for (const args of [['--help'], ['--version'], ['materialize', '--help'], ['dev', '--help']]) {
    it(`weir ${args.join(' ')} loads only the CLI's own modules and commander`, async () => {
      const { stdout, modules } = await modulesLoadedBy(args);
      expect(stdout).toMatch(args[0] === '--version' ? /^\d+\.\d+\.\d+\n$/ : /Usage: weir/);
      expect(modules).toContain('dist/src/cli/main.js');
      expect(modules.filter((module) => HEAVY.test(module))).toEqual([]);
      expect(modules.filter((module) => module.startsWith('npm:'))).toEqual(['npm:commander']);
    });
  }

  it('a command still finds its work when it runs (weir graph loads the project)', async () => {
    const { stdout, modules } = await modulesLoadedBy(['graph', '--project', '../assets']);
    expect(stdout).toMatch(/gold\/basket_stats/);
    expect(modules).toContain('dist/src/cli/commands/graph.action.js');
    expect(modules).toContain('dist/src/project/project-loader.js');
  });
});
