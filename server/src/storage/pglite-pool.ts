import { EventEmitter } from 'node:events';
import type { PGlite } from '@electric-sql/pglite';

type Release = (error?: unknown) => void;
type ConnectCallback = (error: Error | null, client: PgliteClient | null, release: Release) => void;
type QueryCallback = (error: Error | null, result: unknown) => void;

interface PgliteQueryResult {
  rows: unknown[];
  affectedRows?: number;
  fields?: unknown[];
}

/**
 * A `pg`-compatible client over one PGlite instance, as TypeORM's postgres driver expects.
 * Results are shaped like `pg`'s (`rowCount`, `command`).
 */
class PgliteClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  async query(
    sql: string | { text: string; values?: unknown[] },
    params?: unknown[] | QueryCallback,
    callback?: QueryCallback,
  ) {
    const text = typeof sql === 'string' ? sql : sql.text;
    let values = typeof sql === 'string' ? undefined : sql.values;
    let done = callback;
    if (typeof params === 'function') done = params;
    else if (params !== undefined) values = params;
    try {
      const raw: PgliteQueryResult =
        values && values.length > 0
          ? await this.db.query(text, values)
          : // exec runs multi-statement scripts (migrations); TypeORM wants the last result.
            ((await this.db.exec(text)).at(-1) ?? { rows: [] });
      const result = {
        rows: raw.rows,
        fields: raw.fields ?? [],
        rowCount: raw.affectedRows ?? raw.rows.length,
        command: /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '',
      };
      done?.(null, result);
      return result;
    } catch (error) {
      done?.(error as Error, null);
      if (done) return undefined;
      throw error;
    }
  }

  release(): void {}
}

/**
 * A connection pool of size one over a PGlite instance.
 *
 * PGlite is a single Postgres session: two interleaved transactions would share it, and a
 * rollback in one would undo the other's writes. Handing out the one connection to a single
 * borrower at a time serializes every transaction (and every query outside one), which makes
 * them isolated. Callers must therefore never query through a second connection while holding
 * one (use the transaction's EntityManager inside a transaction), or they wait on themselves.
 */
export class PglitePool extends EventEmitter {
  private readonly client: PgliteClient;
  private busy = false;
  private readonly waiting: Array<() => void> = [];

  constructor(options: { pglite: PGlite }) {
    super();
    this.client = new PgliteClient(options.pglite);
  }

  connect(callback?: ConnectCallback): Promise<PgliteClient> | undefined {
    const acquired = this.acquire();
    if (!callback) return acquired.then(() => this.client);
    acquired.then(
      () => callback(null, this.client, () => this.releaseOne()),
      (error: Error) => callback(error, null, () => {}),
    );
    return undefined;
  }

  async query(sql: string, params?: unknown[]): Promise<unknown> {
    await this.acquire();
    try {
      return await this.client.query(sql, params);
    } finally {
      this.releaseOne();
    }
  }

  end(callback?: (error: Error | null) => void): void {
    callback?.(null);
  }

  private acquire(): Promise<void> {
    if (!this.busy) {
      this.busy = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private releaseOne(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy = false;
  }
}

/** A stand-in for the `pg` module that TypeORM's postgres driver loads; only `Pool` is used. */
export const pgliteDriverModule = { Pool: PglitePool };
