import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProject, type LoadedProject } from '../../src/project/project-loader.js';

/** Folder of the fixture projects (each imports the SDK as `'../../../../src/index.js'`). */
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const SDK_IMPORT = "'../../../../src/index.js'";
const SDK_ABSOLUTE = `'${fileURLToPath(new URL('../../src/index.js', import.meta.url))}'`;

/** Path of a fixture project, e.g. `fixture('cycle')`. */
export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** `file:line` suffix (`revenue.ts:4`) of the line of `file` that contains `text`. */
export function lineOf(file: string, text: string): string {
  const lines = readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(text));
  if (index === -1) throw new Error(`${file} has no line containing ${JSON.stringify(text)}`);
  return `${file.split('/').pop()}:${index + 1}`;
}

/** Temporary copies of fixture projects, deleted by {@link TempProjects.cleanup}. */
export class TempProjects {
  private readonly dirs: string[] = [];

  /**
   * Copies a fixture to a fresh temporary folder, pointing its SDK import at the absolute path
   * so that it still resolves. `packageJson` (default: an ESM package) is written unless null.
   */
  copy(name: string, packageJson: object | null = { type: 'module' }): string {
    const dir = mkdtempSync(join(tmpdir(), `weir-${name}-`));
    this.dirs.push(dir);
    cpSync(fixture(name), dir, { recursive: true });
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.ts')) continue;
      const path = join(dir, file);
      writeFileSync(path, readFileSync(path, 'utf8').replaceAll(SDK_IMPORT, SDK_ABSOLUTE));
    }
    if (packageJson) writeFileSync(join(dir, 'package.json'), JSON.stringify(packageJson));
    return dir;
  }

  /** Creates an empty temporary folder. */
  empty(): string {
    const dir = mkdtempSync(join(tmpdir(), 'weir-empty-'));
    this.dirs.push(dir);
    return dir;
  }

  cleanup(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/** Replaces `from` by `to` in a file, failing loudly when `from` is not there. */
export function edit(path: string, from: string, to: string): void {
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${path} does not contain ${JSON.stringify(from)}`);
  writeFileSync(path, text.replace(from, to));
}

/** The error thrown by `promise`, failing when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/**
 * `loadProject` with Node's own stack formatting, as in the `weir` CLI. Vitest installs an
 * `Error.prepareStackTrace` for its own source maps, which disables Node's source-map support
 * for the project files tsx compiles: `definedAt` would then give the line in tsx's output
 * (see the `.fails` test in load-project.test.ts) instead of the line in the .ts file.
 */
export async function load(projectPath: string): Promise<LoadedProject> {
  if (nativeStacks++ === 0) {
    savedPrepareStackTrace = Error.prepareStackTrace;
    // Unset (not a function): Node then formats stacks itself, applying source maps.
    (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
  }
  try {
    return await loadProject(projectPath);
  } finally {
    if (--nativeStacks === 0) Error.prepareStackTrace = savedPrepareStackTrace;
  }
}
// Concurrent loads share one save/restore.
let nativeStacks = 0;
let savedPrepareStackTrace: typeof Error.prepareStackTrace;
