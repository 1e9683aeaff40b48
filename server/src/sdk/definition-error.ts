/** An asset involved in a definition error, with the `file:line` that defined it. */
export interface Culprit {
  readonly key: string;
  readonly definedAt: string;
}

/**
 * Thrown when asset definitions are invalid. The message names every asset involved and
 * the file that defined it, so it can be fixed without a debugger.
 */
export class AssetDefinitionError extends Error {
  readonly culprits: readonly Culprit[];

  constructor(problem: string, culprits: readonly Culprit[]) {
    const where = culprits.map((c) => `\n  - ${c.key} (defined at ${c.definedAt})`).join('');
    super(`${problem}${where}`);
    this.name = 'AssetDefinitionError';
    this.culprits = culprits;
  }
}
