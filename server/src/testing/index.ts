/**
 * Testing helpers for asset projects: `import { materializeForTest } from 'weir/testing'`.
 * @packageDocumentation
 */
export { materializeForTest, type MaterializeForTestOptions } from './materialize-for-test.js';
export { MaterializeForTestError } from './test-errors.js';
export type { TestAssetContext, TestLogLine } from './test-context.js';
export type { TestCheckResult, TestMaterialization, TestRun, TestValue } from './test-run.js';
