import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { AssetGraph } from '../graph/asset-graph.js';
import { collectDefinitions } from '../graph/collect-definitions.js';
import { AssetDefinitionError } from '../sdk/definition-error.js';
import type { ResourceRegistry } from '../sdk/resource.js';
import { collectSensors, type Sensor } from '../sdk/sensor.js';
import { projectResources, resourceEnvironment } from './project-resources.js';

/** An asset project loaded into a validated graph. */
export interface LoadedProject {
  readonly entry: string;
  readonly graph: AssetGraph;
  /** The project's own files that were imported (to watch for changes). */
  readonly files: readonly string[];
  /** The sensors the project exports. */
  readonly sensors: readonly Sensor[];
  /** The resources its assets, checks and sensors use, configs resolved (instances made on use). */
  readonly resources: ResourceRegistry;
}

/** The project could not be found or imported; the message names the path. */
export class ProjectLoadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProjectLoadError';
  }
}

const ENTRY_CANDIDATES = ['index.ts', 'index.mts', 'index.js', 'index.mjs'];

/** Finds the module to import for a project path: a file, or a folder's package main / index. */
export function resolveProjectEntry(projectPath: string): string {
  if (!existsSync(projectPath))
    throw new ProjectLoadError(`asset project not found: ${projectPath} (set WEIR_PROJECT or --project)`);
  if (statSync(projectPath).isFile()) return projectPath;
  const packageJson = join(projectPath, 'package.json');
  if (existsSync(packageJson)) {
    const main = (JSON.parse(readFileSync(packageJson, 'utf8')) as { main?: string }).main;
    if (main && existsSync(join(projectPath, main))) return join(projectPath, main);
  }
  for (const candidate of ENTRY_CANDIDATES) {
    if (existsSync(join(projectPath, candidate))) return join(projectPath, candidate);
  }
  throw new ProjectLoadError(
    `asset project ${projectPath} has no entry module: add ${ENTRY_CANDIDATES.join(', ')} or a package.json "main"`,
  );
}

/**
 * Imports the project (TypeScript is compiled on the fly) and validates its assets into a
 * graph. Every call imports fresh copies of the project's modules, so edited files are seen.
 */
export async function loadProject(projectPath: string): Promise<LoadedProject> {
  const entry = resolve(resolveProjectEntry(projectPath));
  const root = dirname(entry) + sep;
  forgetCommonJsModules(root);
  const files = new Set<string>();
  let exports: Record<string, unknown>;
  try {
    exports = (await tsImport(pathToFileURL(entry).href, {
      parentURL: import.meta.url,
      onImport: (url: string) => {
        if (!url.startsWith('file://')) return;
        const file = fileURLToPath(url.split('?')[0]!);
        if (file.startsWith(root) && !file.includes(`${sep}node_modules${sep}`)) files.add(file);
      },
    })) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof AssetDefinitionError || (error as Error)?.name === 'AssetDefinitionError') throw error;
    const where = projectFrame(error, root);
    throw new ProjectLoadError(
      `could not import asset project ${relative(process.cwd(), entry) || entry}${where ? ` (at ${where})` : ''}: ${(error as Error).message ?? String(error)}`,
      { cause: error },
    );
  }
  const definitions = collectDefinitions(exports);
  if (definitions.length === 0) {
    throw new ProjectLoadError(
      `asset project ${entry} exports no assets: export the values returned by asset() / sourceAsset()`,
    );
  }
  const graph = AssetGraph.build(definitions);
  const sensors = collectSensors(exports);
  return {
    entry,
    graph,
    files: [...files],
    sensors,
    resources: projectResources(definitions, sensors, resourceEnvironment(dirname(entry))),
  };
}

/**
 * tsx loads CommonJS projects through `require`, whose cache outlives a `tsImport` call: drop
 * the project's entries so a reload sees edited files (ESM projects get fresh modules anyway).
 */
function forgetCommonJsModules(root: string): void {
  const cache = createRequire(import.meta.url).cache;
  for (const file of Object.keys(cache)) {
    if (file.startsWith(root) && !file.includes(`${sep}node_modules${sep}`)) delete cache[file];
  }
}

/** The first `file:line` inside the project named by an import error's stack, if any. */
function projectFrame(error: unknown, root: string): string | undefined {
  const stack = (error as Error)?.stack ?? '';
  for (const match of stack.matchAll(/(file:\/\/[^\s():]+|\/[^\s():]+):(\d+)/g)) {
    const file = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!;
    if (file.startsWith(root) && !file.includes(`${sep}node_modules${sep}`))
      return `${relative(process.cwd(), file) || file}:${match[2]}`;
  }
  return undefined;
}
