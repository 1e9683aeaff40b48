import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWeir, WEIR_BIN } from '../support/weir-process.js';

const PORT = 47411;
const require = createRequire(import.meta.url);

/** The environment of a user's shell: no WEIR_* settings of the test run leak in. */
function userEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: '1' };
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('WEIR_') && !name.startsWith('VITEST') && name !== 'NODE_OPTIONS')
      env[name] = value;
  }
  return env;
}

function run(command: string, args: readonly string[], cwd: string, timeoutMs = 180_000) {
  return new Promise<{ code: number | string; output: string }>((resolve) => {
    const child = spawn(command, args, { cwd, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal ?? 'unknown', output });
    });
  });
}

// The acceptance of issue 12 part 1: a project made by `weir init` outside the repository
// installs from the local weir with no registry, and the CLI and its tests work there.
describe('weir init', () => {
  const parent = realpathSync(mkdtempSync(join(tmpdir(), 'weir-init-')));
  const dir = join(parent, 'my-pipeline');
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('writes a project that installs offline, loads, materializes and passes its tests', async () => {
    const init = await runWeir(['init', dir], {}, parent);
    expect(init.code, init.output).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies.weir).toBe(`file:${join(WEIR_BIN, '..', '..')}`);
    for (const file of ['tsconfig.json', '.gitignore', 'assets/index.ts', 'assets/orders.ts', 'test/orders.test.ts'])
      expect(existsSync(join(dir, file)), file).toBe(true);

    const install = await run('npm', ['install', '--offline', '--no-audit', '--no-fund'], dir);
    expect(install.code, install.output).toBe(0);

    // The project's types resolve (weir, weir/testing, Node's) with the TypeScript Weir is built with.
    const tsc = await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], dir);
    expect(tsc.code, tsc.output).toBe(0);

    const graph = await run('npx', ['--offline', 'weir', 'graph'], dir);
    expect(graph.code, graph.output).toBe(0);
    // `defined at` names the user's own file and line, not weir's or a loader's.
    expect(graph.output).toMatch(/raw\/orders\s.*\sassets\/orders\.ts:\d+/);
    expect(graph.output).toMatch(/reports\/daily_revenue\s.*\sassets\/orders\.ts:\d+/);

    const materialize = await run('npx', ['--offline', 'weir', 'materialize', '*'], dir);
    expect(materialize.code, materialize.output).toBe(0);
    expect(materialize.output).toMatch(/reports\/daily_revenue \[\d{4}-\d{2}-\d{2}\]\s+succeeded/);

    const before = readdirSync(tmpdir()).filter((name) => name.startsWith('weir-test-')).length;
    const test = await run('npm', ['test'], dir);
    expect(test.code, test.output).toBe(0);
    expect(test.output).toMatch(/# pass 2/);
    expect(test.output).toMatch(/# fail 0/);
    // materializeForTest leaves no store behind.
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith('weir-test-')).length).toBeLessThanOrEqual(before);
    // Six tools in a row (npm, tsc, three CLI starts, a test run): slow on a busy 2-core machine.
  }, 300_000);

  it('starts with npx weir dev in the new project', async () => {
    const child = spawn('npx', ['--offline', 'weir', 'dev', '--port', String(PORT), '--no-watch'], {
      cwd: dir,
      env: userEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      let healthy = false;
      for (let i = 0; i < 120 && !healthy && child.exitCode === null; i++) {
        healthy = await fetch(`http://127.0.0.1:${PORT}/healthz`).then(
          (response) => response.ok,
          () => false,
        );
        if (!healthy) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(healthy, output).toBe(true);
    } finally {
      // npx runs weir in a child of its own: end the whole group this test started.
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }, 120_000);

  it('refuses a folder that is not empty, naming it, with exit code 2', async () => {
    const busy = join(parent, 'busy');
    const init = await runWeir(['init', busy], {}, parent);
    expect(init.code).toBe(0);
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    const again = await runWeir(['init', busy], {}, parent);
    expect(again.code).toBe(2);
    expect(again.output).toContain(`${busy} is not empty`);
    const forced = await runWeir(['init', busy, '--force'], {}, parent);
    expect(forced.code, forced.output).toBe(0);
    expect(readFileSync(join(busy, 'notes.txt'), 'utf8')).toBe('mine');
  });
});
