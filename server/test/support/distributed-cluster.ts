import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunView } from '../../src/runs/run-queries.js';
import { createApiToken } from './api-auth.js';
import { createPostgresDatabase, dropPostgresDatabase } from './databases.js';
import { waitFor } from './engine-harness.js';
import { freePort, RedisProcess } from './redis-process.js';
import { killHard, spawnWeir, type WeirProcess } from './weir-process.js';

/** A process start loads the project and warms its isolates: seconds on a busy 2-core machine. */
const PROCESS_START_MS = 90_000;

/**
 * A distributed Weir of real processes on this machine: a Redis of its own, a fresh
 * PostgreSQL database, one `weir server` and any number of `weir worker`s.
 */
export class DistributedCluster {
  readonly processes: WeirProcess[] = [];
  redis!: RedisProcess;
  databaseUrl!: string;
  api!: string;
  /** An admin API token, created in the database before the first server starts. */
  token!: string;
  private readonly dir = mkdtempSync(join(tmpdir(), 'weir-cluster-'));

  constructor(
    private readonly project: string,
    private readonly extraEnv: Record<string, string> = {},
  ) {}

  get env(): Record<string, string> {
    return {
      WEIR_PROJECT: this.project,
      WEIR_DATA_DIR: join(this.dir, 'data'),
      WEIR_DATABASE_URL: this.databaseUrl,
      WEIR_REDIS_URL: this.redis.url,
      ...this.extraEnv,
    };
  }

  /** Starts Redis, the database and the server. */
  async start(): Promise<void> {
    this.redis = new RedisProcess(await freePort());
    await this.redis.start();
    this.databaseUrl = await createPostgresDatabase();
    this.token = await createApiToken(this.databaseUrl, 'admin');
    this.api = (await this.startServer()).api;
  }

  /** Starts one more `weir server` and waits until it listens. */
  async startServer(): Promise<{ process: WeirProcess; api: string }> {
    const server = this.spawn(['server', '--port', '0']);
    const host = await waitFor(
      async () =>
        /API http:\/\/([\d.]+:\d+)/.exec(server.output())?.[1] ??
        (server.child.exitCode !== null ? 'exited' : undefined),
      'weir server to listen',
      PROCESS_START_MS,
    );
    if (host === 'exited') throw new Error(`weir server exited:\n${server.output()}`);
    return { process: server, api: `http://${host}` };
  }

  /** Starts a worker and waits until it takes jobs. */
  async startWorker(concurrency: number): Promise<WeirProcess> {
    const worker = this.spawn(['worker', '--concurrency', String(concurrency)]);
    await waitFor(
      async () => worker.output().includes('Weir worker') || worker.child.exitCode !== null,
      'a worker to start',
      PROCESS_START_MS,
    );
    if (worker.child.exitCode !== null) throw new Error(`weir worker exited:\n${worker.output()}`);
    return worker;
  }

  /** Starts a worker without waiting for it. */
  spawnWorker(concurrency: number): WeirProcess {
    return this.spawn(['worker', '--concurrency', String(concurrency)]);
  }

  async requestRun(selection: string): Promise<RunView> {
    const response = await this.fetch('/api/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ selection }),
    });
    if (!response.ok) throw new Error(`POST /api/runs: ${response.status} ${await response.text()}`);
    return (await response.json()) as RunView;
  }

  async run(id: string): Promise<RunView> {
    return (await (await this.fetch(`/api/runs/${id}`)).json()) as RunView;
  }

  async waitForRun(id: string, timeoutMs = 120_000): Promise<RunView> {
    return waitFor(
      async () => {
        const view = await this.run(id);
        return view.status === 'succeeded' || view.status === 'failed' ? view : undefined;
      },
      `run ${id} to end`,
      timeoutMs,
    );
  }

  /** `fetch` on the first server's API with the admin token. */
  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${this.token}`);
    return fetch(this.api + path, { ...init, headers });
  }

  async killAll(): Promise<void> {
    await Promise.all(this.processes.filter((p) => p.child.exitCode === null).map(killHard));
  }

  async close(): Promise<void> {
    await this.killAll();
    await this.redis?.stop();
    if (this.databaseUrl) await dropPostgresDatabase(this.databaseUrl);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private spawn(args: string[]): WeirProcess {
    const process = spawnWeir(args, this.env);
    this.processes.push(process);
    return process;
  }
}
