import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { POLL_MS, SessionFigures } from './figures.js';

// ---------------------------------------------------------------------------------------------
// PostgreSQL sessions, sampled

/** Samples pg_stat_activity of one database every 100 ms on a connection of its own. */
export class SessionSampler {
  private readonly rows: Array<{ active: number; lock: number; idleTx: number; waits: string[] }> = [];
  private readonly lockedStatements = new Map<string, number>();
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();

  private constructor(
    private readonly client: pg.Client,
    private readonly databaseName: string,
  ) {}

  static async start(databaseUrl: string): Promise<SessionSampler> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const sampler = new SessionSampler(client, decodeURIComponent(new URL(databaseUrl).pathname.slice(1)));
    sampler.loop = sampler.run();
    return sampler;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const { rows } = await this.client.query<{ state: string | null; wait: string | null; query: string }>(
        `SELECT state, wait_event_type || ':' || wait_event AS wait, query
           FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        [this.databaseName],
      );
      const active = rows.filter((row) => row.state === 'active');
      for (const row of active) {
        if (!row.wait?.startsWith('Lock:')) continue;
        const statement = row.query.replace(/\s+/g, ' ').trim();
        this.lockedStatements.set(statement, (this.lockedStatements.get(statement) ?? 0) + 1);
      }
      this.rows.push({
        active: active.length,
        lock: active.filter((row) => row.wait?.startsWith('Lock:')).length,
        idleTx: rows.filter((row) => row.state === 'idle in transaction').length,
        waits: active.map((row) => row.wait ?? 'CPU (no wait event)'),
      });
      await sleep(POLL_MS);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    try {
      await this.loop;
    } finally {
      await this.client.end();
    }
  }

  figures(): SessionFigures {
    const n = Math.max(1, this.rows.length);
    const mean = (pick: (row: (typeof this.rows)[number]) => number) =>
      this.rows.reduce((sum, row) => sum + pick(row), 0) / n;
    const counts = new Map<string, number>();
    for (const row of this.rows) for (const wait of row.waits) counts.set(wait, (counts.get(wait) ?? 0) + 1);
    const activeSamples = Math.max(
      1,
      [...counts.values()].reduce((sum, value) => sum + value, 0),
    );
    return {
      samples: this.rows.length,
      active: mean((row) => row.active),
      lockWaits: mean((row) => row.lock),
      idleInTransaction: mean((row) => row.idleTx),
      samplesWithLockWait: this.rows.filter((row) => row.lock > 0).length / n,
      topWaits: [...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([event, count]) => ({ event, share: count / activeSamples })),
      topLockedStatement: this.topLockedStatement(),
    };
  }

  private topLockedStatement(): SessionFigures['topLockedStatement'] {
    const total = [...this.lockedStatements.values()].reduce((sum, value) => sum + value, 0);
    const top = [...this.lockedStatements.entries()].sort((a, b) => b[1] - a[1])[0];
    return top ? { statement: top[0], share: top[1] / total } : undefined;
  }
}
