/**
 * An asset given to {@link materializeForTest} failed, or could not run: its message names the
 * asset; the asset's own error, when it threw one, is the `cause`.
 */
export class MaterializeForTestError extends Error {
  constructor(
    message: string,
    /** The asset that failed or could not run. */
    readonly assetKey: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MaterializeForTestError';
  }
}

/** What a thrown value says, for a message. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message || error.name : `non-Error value thrown: ${String(error)}`;
}
