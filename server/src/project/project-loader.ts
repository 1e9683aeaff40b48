import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { AssetGraph } from '../graph/asset-graph.js';
import { collectDefinitions } from '../graph/collect-definitions.js';
import { AssetDefinitionError } from '../sdk/definition-error.js';

/** An asset project loaded into a validated graph. */
export interface LoadedProject {
  readonly entry: string;
  readonly graph: AssetGraph;
  /** The project's own files that were imported (to watch for changes). */
  readonly files: readonly string[];
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
  if (!existsSync(projectPath)) throw new ProjectLoadError(`asset project not found: ${projectPath} (set WEIR_PROJECT or --project)`);
  if (statSync(projectPath).isFile()) return projectPath;
  const packageJson = join(projectPath, 'package.json');
  if (existsSync(packageJson)) {
    const main = (JSON.parse(readFileSync(packageJson, 'utf8')) as { main?: string }).main;
    if (main && existsSync(join(projectPath, main))) return join(projectPath, main);
  }
  for (const candidate of ENTRY_CANDIDATES) {
    if (existsSync(join(projectPath, candidate))) return join(projectPath, candidate);
  }
  throw new ProjectLoadError(`asset project ${projectPath} has no entry module: add ${ENTRY_CANDIDATES.join(', ')} or a package.json "main"`);
}

/**
 * Imports the project (TypeScript is compiled on the fly) and validates its assets into a
 * graph. Every call imports fresh copies of the project's modules, so edited files are seen.
 */
export async function loadProject(projectPath: string): Promise<LoadedProject> {
  const entry = resolveProjectEntry(projectPath);
  const files = new Set<string>();
  let exports: Record<string, unknown>;
  try {
    exports = (await tsImport(pathToFileURL(entry).href, {
      parentURL: import.meta.url,
      onImport: (url: string) => {
        if (url.startsWith('file://') && !url.includes('/node_modules/')) files.add(new URL(url).pathname);
      },
    })) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof AssetDefinitionError || (error as Error)?.name === 'AssetDefinitionError') throw error;
    throw new ProjectLoadError(`could not import asset project ${relative(process.cwd(), entry) || entry}: ${(error as Error).message ?? String(error)}`, { cause: error });
  }
  const definitions = collectDefinitions(exports);
  if (definitions.length === 0) {
    throw new ProjectLoadError(`asset project ${entry} exports no assets: export the values returned by asset() / sourceAsset()`);
  }
  return { entry, graph: AssetGraph.build(definitions), files: [...files] };
}
