import type { Command } from 'commander';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { CliError } from '../weir-client.js';
import { bold, green } from '../render/format.js';
import { projectFiles } from '../scaffold/project-template.js';
import { weirPackageDir } from '../weir-package.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a new asset project (package.json, tsconfig, assets/, a test) into <dir>')
    .argument('<dir>', 'the folder to create (it must be empty or not exist)')
    .option('--force', 'write into a folder that is not empty (files of the same name are overwritten)')
    .action((dir: string, options: { force?: boolean }) => {
      const target = resolve(dir);
      if (existsSync(target)) {
        if (!statSync(target).isDirectory()) throw new CliError(`${target} exists and is not a folder`);
        if (readdirSync(target).length > 0 && !options.force) {
          throw new CliError(`${target} is not empty: choose a new or empty folder, or pass --force`);
        }
      }
      const weirDir = weirPackageDir();
      const files = projectFiles(packageName(target), {
        weirDependency: `file:${weirDir}`,
        typeRoot: nodeTypesRoot(weirDir),
      });
      for (const [path, content] of Object.entries(files)) {
        const file = join(target, path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
      const shown = relative(process.cwd(), target) || '.';
      process.stdout.write(
        `${green('✓')} wrote a Weir project in ${bold(target)}\n\n` +
          `  cd ${shown}\n  npm install\n  npx weir dev        # console on http://127.0.0.1:3000\n  npm test\n`,
      );
    });
}

/** An npm package name from the folder's name: lowercase, URL-safe. */
function packageName(target: string): string {
  const name = basename(target)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return name || 'weir-project';
}

/** The `@types` folder from which the weir installation resolves `@types/node`, if it does. */
function nodeTypesRoot(weirDir: string): string | undefined {
  try {
    return dirname(dirname(createRequire(join(weirDir, 'package.json')).resolve('@types/node/package.json')));
  } catch {
    return undefined;
  }
}
