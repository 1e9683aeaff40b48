import type { TestMaterialization } from './test-run.js';

/**
 * An asset given to {@link materializeForTest} failed, or could not run: its message names the
 * asset; the asset's own error, when it threw one, is the `cause`.
 */
export class MaterializeForTestError extends Error {
  /** What the asset produced, when only its checks failed: the output, metadata and check results. */
  readonly result: TestMaterialization | undefined;

  constructor(
    message: string,
    /** The asset that failed or could not run. */
    readonly assetKey: string,
    options?: { cause?: unknown; result?: TestMaterialization },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.result = options?.result;
    this.name = 'MaterializeForTestError';
  }
}

/** What a thrown value says, for a message. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message || error.name : `non-Error value thrown: ${String(error)}`;
}
