import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A step's local scratch folder for table files: the Parquet DuckDB writes before it is streamed
 * to the store, and upstream files staged from a remote store. Made on first use, removed when
 * the step's isolate work ends (outputs are in the store by then).
 */
export class TableScratch {
  #dir: Promise<string> | undefined;
  #count = 0;

  /** A new path inside the folder, ending in `suffix` (e.g. `.parquet`). */
  async path(suffix: string): Promise<string> {
    this.#dir ??= mkdtemp(join(tmpdir(), 'weir-tables-'));
    return join(await this.#dir, `${++this.#count}${suffix}`);
  }

  async dispose(): Promise<void> {
    if (this.#dir) await rm(await this.#dir, { recursive: true, force: true });
    this.#dir = undefined;
  }
}
