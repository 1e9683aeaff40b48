import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { CliError } from '../weir-client.js';

const TEST_FILE = /\.test\.(ts|mts|cts|js|mjs|cjs)$/;
const TEST_DIRS = ['test', 'assets'];

export function registerTest(program: Command): void {
  program
    .command('test')
    .description("run the project's tests (test/ and assets/ *.test.ts) with node:test, TypeScript included")
    .argument('[files...]', 'test files (default: every *.test.ts under test/ and assets/)')
    .action(async (files: string[]) => {
      const chosen = files.length > 0 ? files : findTestFiles(process.cwd());
      if (chosen.length === 0) throw new CliError(`no test files (*.test.ts) under ${TEST_DIRS.join('/ or ')}/`);
      // tsx comes with weir: the project needs no test runner or loader of its own.
      const loader = import.meta.resolve('tsx');
      const child = spawn(process.execPath, ['--import', loader, '--test', ...chosen], { stdio: 'inherit' });
      const code = await new Promise<number>((done) => {
        child.on('exit', (exitCode, signal) => done(exitCode ?? (signal ? 1 : 0)));
      });
      process.exitCode = code;
    });
}

function findTestFiles(root: string): string[] {
  const found: string[] = [];
  for (const dir of TEST_DIRS) {
    if (!existsSync(join(root, dir))) continue;
    for (const entry of readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })) {
      if (TEST_FILE.test(entry) && !entry.split(sep).includes('node_modules')) found.push(join(dir, entry));
    }
  }
  return found.sort();
}
