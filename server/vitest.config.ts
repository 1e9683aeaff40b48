import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  // TypeORM entities use legacy (experimentalDecorators) decorators. Vite's oxc transform would
  // also pick this up from tsconfig.json, but only for files some tsconfig includes; saying it here
  // keeps tests independent of tsconfig discovery. Every @Column names its type, so no metadata.
  // The last two options are oxc's spelling of `useDefineForClassFields: false`.
  oxc: {
    decorator: { legacy: true, emitDecoratorMetadata: false },
    typescript: { removeClassFieldsWithoutInitializer: true },
    assumptions: { setPublicClassFields: true },
  },
  resolve: {
    // graphql 16 ships CommonJS (`main`) and ESM (`module`) builds. Node loads the CommonJS one
    // for Apollo and Nest; Vite would pick the ESM one for our sources, and two copies of
    // graphql refuse each other's types. One path for everyone.
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Forks, not threads: tests spawn processes, kill workers and load PGlite's WASM.
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // TypeORM logs every failed query, including the ones tests provoke on purpose; show a
    // test's console output only when it fails.
    silent: 'passed-only',
  },
});
