import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleDirectory } from '../../src/api/console-assets.js';
import { createPostgresDatabase, dropPostgresDatabase } from '../support/databases.js';
import { killHard, spawnWeir, waitForApi, type WeirProcess } from '../support/weir-process.js';

const PROJECT = fileURLToPath(new URL('../fixtures/config-project/index.ts', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../.artifacts/run-config-e2e/', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';

// The Materialize dialog as an operator uses it: the form comes from the asset's schema, a bad
// value is refused with the field named (and the dialog stays open), a good one launches a run
// whose page shows the config, and the asset's isolate received it.
describe('the Materialize dialog in headless Chromium against weir dev', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-config-e2e-'));
  const dataDir = join(dir, '.weir');
  let databaseUrl: string;
  let dev: WeirProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let base: string;
  let adminToken: string;
  const consoleErrors: string[] = [];
  const screenshot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const gql = async (query: string) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ query }),
    });
    return ((await response.json()) as { data: Record<string, unknown> }).data;
  };

  beforeAll(async () => {
    expect(existsSync(join(consoleDirectory(), 'index.html')), 'the console is built (npm run build)').toBe(true);
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    databaseUrl = await createPostgresDatabase();
    dev = spawnWeir(['dev', '--port', '0', '--no-watch'], {
      WEIR_PROJECT: PROJECT,
      WEIR_DATA_DIR: dataDir,
      WEIR_DATABASE_URL: databaseUrl,
    });
    base = await waitForApi(dataDir, dev);
    adminToken = /admin API token \(shown once, store it now\): (weir_\S+)/.exec(dev.output())![1]!;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('console', (message) => {
      // The refused launch is a GraphQL error answered with 200; anything logged as an error is a bug.
      if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dev && dev.child.exitCode === null) await killHard(dev);
    if (databaseUrl) await dropPostgresDatabase(databaseUrl);
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders the form from the schema, refuses a bad value naming the field, and launches with a good one', async () => {
    await page.goto(`${base}/sign-in`);
    await page.getByLabel(/token/i).fill(adminToken);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    await page.goto(`${base}/assets/config/sample`);
    await page.getByRole('button', { name: /^materialize$/i }).click();

    const dialog = page.getByRole('dialog', { name: 'Run config' });
    await dialog.waitFor();
    expect(await dialog.locator('legend').textContent()).toBe('config/sample');
    const sampleSize = dialog.getByLabel(/sampleSize/);
    const region = dialog.getByLabel(/region/);
    // From the JSON Schema: an integer with its bound and default, an enum with its options.
    expect(await sampleSize.getAttribute('type')).toBe('number');
    expect(await sampleSize.getAttribute('min')).toBe('1');
    expect(await sampleSize.inputValue()).toBe('5');
    expect(await region.locator('option').allTextContents()).toEqual(['Choose…', 'eu', 'us']);
    await screenshot('01-dialog');

    const runsBefore = ((await gql('{ runs(first: 100) { nodes { id } } }')).runs as { nodes: unknown[] }).nodes.length;
    await sampleSize.fill('0');
    await region.selectOption('us');
    await dialog.getByRole('button', { name: 'Launch run' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/asset 'config\/sample' is invalid: sampleSize: .*>=1/);
    await screenshot('02-refused');
    expect(((await gql('{ runs(first: 100) { nodes { id } } }')).runs as { nodes: unknown[] }).nodes).toHaveLength(
      runsBefore,
    );

    await sampleSize.fill('9');
    await dialog.getByRole('button', { name: 'Launch run' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').getByRole('link').click();
    await page.waitForURL(/\/runs\/[0-9a-f-]+/);
    const shown = page.getByTestId('run-config');
    await shown.waitFor();
    expect(await shown.textContent()).toContain('config/sample');
    // jsonb keeps its own key order: check each field.
    expect(await shown.textContent()).toContain('"sampleSize": 9');
    expect(await shown.textContent()).toContain('"region": "us"');
    await page
      .getByText(/Succeeded/)
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshot('03-run-page');

    // The isolate got it: the asset recorded its config as metadata.
    const runId = new URL(page.url()).pathname.split('/').pop()!;
    const run = (await gql(`{ run(id: "${runId}") { config steps { output { metadata } } } }`)).run as {
      config: unknown;
      steps: Array<{ output: { metadata: unknown } }>;
    };
    expect(run.config).toEqual({ 'config/sample': { sampleSize: 9, region: 'us' } });
    expect(run.steps[0]!.output.metadata).toEqual({ sampleSize: 9, region: 'us' });
    expect(consoleErrors).toEqual([]);
  }, 120_000);
});
