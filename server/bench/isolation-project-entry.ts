import { fileURLToPath } from 'node:url';

/**
 * The isolation benchmarks' project, as source (the isolates load it as `weir dev` loads a
 * user's project: TypeScript compiled on the fly), from the source tree or the build output.
 */
export function isolationProjectEntry(): string {
  const relative = import.meta.url.includes('/dist/bench/')
    ? '../../bench/isolation-project/index.ts'
    : './isolation-project/index.ts';
  return fileURLToPath(new URL(relative, import.meta.url));
}
