/** Injection token of the process's {@link WeirEngine}. */
export const WEIR_ENGINE = Symbol('WEIR_ENGINE');
/** Injection token of the process description shown by /healthz. */
export const WEIR_PROCESS_INFO = Symbol('WEIR_PROCESS_INFO');

/** What /healthz reports about this process. */
export interface ProcessInfo {
  readonly mode: 'embedded' | 'distributed';
  readonly role: string;
  readonly project: string;
  readonly database: 'pglite' | 'postgres';
}
