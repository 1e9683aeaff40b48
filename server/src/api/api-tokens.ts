/** Injection token of the process's {@link WeirEngine}. */
export const WEIR_ENGINE = Symbol('WEIR_ENGINE');
/** Injection token of the automation service (evaluates downstream assets after external events). */
export const WEIR_AUTOMATION = Symbol('WEIR_AUTOMATION');
/** Injection token of the AuthService that authenticates every request (undefined: only public routes answer). */
export const WEIR_AUTH = Symbol('WEIR_AUTH');

/** Injection token of the backfill runner (undefined: this process does not run backfills). */
export const WEIR_BACKFILLS = Symbol('WEIR_BACKFILLS');

/** Injection token of the process description shown by /readyz to authenticated callers. */
export const WEIR_PROCESS_INFO = Symbol('WEIR_PROCESS_INFO');

/** What /readyz reports about this process to authenticated callers. */
export interface ProcessInfo {
  readonly mode: 'embedded' | 'distributed';
  readonly role: string;
  readonly project: string;
  readonly database: 'pglite' | 'postgres';
}
