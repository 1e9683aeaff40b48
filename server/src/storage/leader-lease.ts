import pg from 'pg';
import type { DatabaseTarget } from './data-source.factory.js';

// One well-known advisory lock id for "the scheduling server" of a Weir database.
const SCHEDULER_LOCK_ID = 0x5745_4952; // 'WEIR'

/**
 * Leadership among `weir server` replicas: the holder of a PostgreSQL session advisory lock
 * schedules. The lock lives on a dedicated connection, so it is released by PostgreSQL the
 * moment the leader's process dies (its socket closes) and another replica takes it on its
 * next try. On embedded PGlite there is one process, always the leader.
 */
export class LeaderLease {
  private client: pg.Client | undefined;
  private leader = false;

  constructor(
    private readonly target: DatabaseTarget,
    private readonly onLost: () => void = () => {},
  ) {}

  get isLeader(): boolean {
    return this.leader;
  }

  /** Tries to become the leader; true when this process is (or already was). */
  async tryAcquire(): Promise<boolean> {
    if (this.leader) return true;
    if (this.target.kind === 'pglite') return (this.leader = true);
    const client = new pg.Client({ connectionString: this.target.url, application_name: 'weir-leader-lease' });
    client.on('error', () => this.lose());
    client.on('end', () => this.lose());
    await client.connect();
    const { rows } = await client.query<{ acquired: boolean }>('SELECT pg_try_advisory_lock($1) AS acquired', [
      SCHEDULER_LOCK_ID,
    ]);
    if (!rows[0]?.acquired) {
      client.removeAllListeners('end');
      await client.end();
      return false;
    }
    this.client = client;
    this.leader = true;
    return true;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.leader = false;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
    }
  }

  private lose(): void {
    if (!this.leader) return;
    this.leader = false;
    this.client = undefined;
    this.onLost();
  }
}
