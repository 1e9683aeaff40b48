import { join } from 'node:path';
import { WorkerPoolSandbox, type WorkerPoolSandboxOptions } from '../../src/execution/isolate/worker-pool-sandbox.js';
import { loadProject, type LoadedProject } from '../../src/project/project-loader.js';

/**
 * A warmed pool of one isolate for a fixture project, with its object store under `dir`;
 * `options` override the defaults (a short grace, one thread).
 */
export async function warmSandbox(
  projectPath: string,
  dir: string,
  options: Partial<WorkerPoolSandboxOptions> = {},
): Promise<{ project: LoadedProject; sandbox: WorkerPoolSandbox }> {
  const project = await loadProject(projectPath);
  const sandbox = new WorkerPoolSandbox({
    entry: project.entry,
    graphHash: project.graph.hash,
    objectStore: { url: undefined, defaultRoot: join(dir, 'objects') },
    concurrency: 1,
    graceMs: 200,
    ...options,
  });
  await sandbox.warm();
  return { project, sandbox };
}
