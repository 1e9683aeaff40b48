import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../src/storage/data-source.factory.js';
import { createApiToken } from '../support/api-auth.js';
import { createPostgresDatabase, dropPostgresDatabase } from '../support/databases.js';
import { waitFor } from '../support/engine-harness.js';
import { apiFetch, killHard, runWeir, spawnWeir, waitForApi, type WeirProcess } from '../support/weir-process.js';

const PROJECT = fileURLToPath(new URL('../fixtures/events-project/index.ts', import.meta.url));

describe('external asset events over HTTP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-events-'));
  let dev: WeirProcess | undefined;
  let databaseUrl: string | undefined;
  let database: OpenedDatabase | undefined;

  afterAll(async () => {
    if (dev && dev.child.exitCode === null) await killHard(dev);
    await database?.close();
    if (databaseUrl) await dropPostgresDatabase(databaseUrl);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a reported event triggers the downstream asset; no token, a viewer token, a bad key or body gets a 4xx and records nothing', async () => {
    databaseUrl = await createPostgresDatabase();
    const env = {
      WEIR_PROJECT: PROJECT,
      WEIR_DATA_DIR: join(dir, '.weir'),
      WEIR_DATABASE_URL: databaseUrl,
    };
    dev = spawnWeir(['dev', '--port', '0', '--no-watch'], env);
    const api = await waitForApi(join(dir, '.weir'), dev);
    const TOKEN = await createApiToken(databaseUrl, 'operator', 'vendor drops');
    const viewer = await createApiToken(databaseUrl, 'viewer', 'dashboard');
    database = await openDatabase({ kind: 'postgres', url: databaseUrl });
    const count = async (table: string) =>
      Number((await database!.dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n);
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${api}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });

    const refused = [
      {
        response: await post('/api/assets/vendor/drop/events', { dataVersion: 'v0' }),
        status: 401,
        text: "missing API token: send 'Authorization: Bearer <token>'",
      },
      {
        response: await post('/api/assets/vendor/drop/events', { dataVersion: 'v0' }, 'wrong-token-9999999'),
        status: 401,
        text: 'invalid or revoked API token',
      },
      {
        response: await post('/api/assets/vendor/drop/events', { dataVersion: 'v0' }, viewer),
        status: 403,
        text: "this needs the operator role or stronger; the caller's token has the viewer role",
      },
      {
        response: await post('/api/assets/vendor/drpo/events', { dataVersion: 'v0' }, TOKEN),
        status: 404,
        text: "unknown asset 'vendor/drpo': did you mean 'vendor/drop'?",
      },
      {
        response: await post('/api/assets/vendor/drop/events', { dataVersion: 7 }, TOKEN),
        status: 400,
        text: 'dataVersion must be a string',
      },
      {
        response: await post('/api/assets/vendor/drop/events', { version: 'x' }, TOKEN),
        status: 400,
        text: 'unknown field(s) version',
      },
    ];
    for (const { response, status, text } of refused) {
      expect(response.status).toBe(status);
      expect(JSON.stringify(await response.json())).toContain(text);
    }
    expect(await count('observations')).toBe(0);
    expect(await count('automation_inbox')).toBe(0);
    expect(await count('runs')).toBe(0);

    const accepted = await post('/api/assets/vendor/drop/events', { dataVersion: 'v1', metadata: { files: 3 } }, TOKEN);
    expect(accepted.status).toBe(201);
    const body = (await accepted.json()) as { runsRequested: string[] };
    expect(body.runsRequested).toHaveLength(1);
    const output = async (runId: string) =>
      (await database!.dataSource.query(`SELECT output_inline FROM materializations WHERE run_id = $1`, [runId]))[0]
        ?.output_inline;
    expect(await waitFor(async () => output(body.runsRequested[0]!), 'the downstream run')).toBe('v1');

    // The CLI reports through the running dev, with the operator token from the environment.
    const report = await runWeir(['report', 'vendor/drop', '--data-version', 'v2'], { ...env, WEIR_API_TOKEN: TOKEN });
    expect(report.code, report.output).toBe(0);
    const runId = /runs requested: ([0-9a-f-]{36})/.exec(report.output)?.[1];
    expect(runId).toBeDefined();
    expect(await waitFor(async () => output(runId!), 'the second downstream run')).toBe('v2');
    const decisions: Array<{ type: string; message: string }> = await database.dataSource.query(
      `SELECT type, message FROM event_log WHERE asset_key = 'bronze/ingested' AND type LIKE 'automation.%' ORDER BY id`,
    );
    expect(decisions.filter((d) => d.type === 'automation.requested').map((d) => d.message)).toEqual([
      expect.stringContaining('upstream vendor/drop updated (1 event(s)'),
      expect.stringContaining('upstream vendor/drop updated (1 event(s)'),
    ]);
    const why = (await (await apiFetch(api, '/api/assets/bronze/ingested/decisions', {}, viewer)).json()) as Array<{
      requested: boolean;
      reasons: string[];
    }>;
    expect(why[0]).toMatchObject({ requested: true });
    expect(why[0]!.reasons[0]).toContain('upstream vendor/drop updated');
    expect((await apiFetch(api, '/api/assets/bronze/ingestd/decisions')).status).toBe(404);
    expect((await fetch(`${api}/api/assets/bronze/ingested/decisions`)).status).toBe(401);
    // Tokens never reach the logs; a viewer cannot report even through the CLI.
    for (const token of [TOKEN, viewer]) expect(dev.output()).not.toContain(token);
    const refusedReport = await runWeir(['report', 'vendor/drop'], { ...env, WEIR_API_TOKEN: viewer });
    expect(refusedReport.code).toBe(2);
    expect(refusedReport.output).toContain('needs the operator role');
  }, 120_000);
});
