import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/config/database-url.js';
import { MIGRATIONS } from '../../src/storage/migrations/index.js';
import { createPostgresDatabase, dropPostgresDatabase } from '../support/databases.js';
import { runWeir } from '../support/weir-process.js';

// `weir migrate` (the migration Job of docker/k8s) on a real PostgreSQL database. It loads no
// project: WEIR_PROJECT points nowhere on purpose.
describe('weir migrate', () => {
  let url: string;
  const env = () => ({ WEIR_DATABASE_URL: url, WEIR_PROJECT: '/nonexistent/project' });
  beforeAll(async () => {
    url = await createPostgresDatabase();
  });
  afterAll(async () => {
    if (url) await dropPostgresDatabase(url);
  });

  const migrationNames = async (): Promise<string[]> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>('select name from migrations order by id');
      return rows.map((row) => row.name);
    } finally {
      await client.end();
    }
  };

  it('applies every migration to an empty database and exits 0', async () => {
    const result = await runWeir(['migrate'], env(), undefined, 45_000);
    expect(result.code, result.output).toBe(0);
    const names = MIGRATIONS.map((migration) => migration.name);
    for (const name of names) expect(result.output).toContain(`applied ${name}`);
    expect(result.output).toContain(`applied ${names.length} migration(s), schema up to date`);
    // The database is named, its password is not.
    expect(result.output).toContain(redactUrl(url));
    if (new URL(url).password) expect(result.output).not.toContain(`:${new URL(url).password}@`);
    expect(await migrationNames()).toEqual(names);
  });

  it('applies nothing the second time, and still exits 0', async () => {
    const result = await runWeir(['migrate'], env(), undefined, 45_000);
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toContain('applied ');
    expect(result.output).toContain(`schema up to date (${MIGRATIONS.length} migrations)`);
    expect(await migrationNames()).toHaveLength(MIGRATIONS.length);
  });

  it('migrates the embedded database of a data directory without WEIR_DATABASE_URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-migrate-'));
    try {
      const result = await runWeir(['migrate', '--data-dir', join(dir, '.weir')], {}, dir, 45_000);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain(`the embedded database in ${join(dir, '.weir')}: applied ${MIGRATIONS.length}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits non-zero naming the database it could not reach', async () => {
    // A port nothing listens on: bound, then closed.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as AddressInfo;
        server.close(() => resolve(free));
      });
    });
    const result = await runWeir(['migrate'], {
      WEIR_DATABASE_URL: `postgres://weir:secret-password@127.0.0.1:${port}/weir`,
    });
    expect(result.code).toBe(2);
    expect(result.output).toContain(`could not migrate postgres://weir:***@127.0.0.1:${port}/weir`);
    expect(result.output).not.toContain('secret-password');
  });
});
