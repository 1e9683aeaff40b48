import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsoleBrowser, type ConsoleBrowser } from '../support/console-browser.js';

const PROJECT = fileURLToPath(new URL('../fixtures/config-project/index.ts', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../.artifacts/run-config-e2e/', import.meta.url));

// The Materialize dialog as an operator uses it: the form comes from the asset's schema, a bad
// value is refused with the field named (and the dialog stays open), a good one launches a run
// whose page shows the config, and the asset's isolate received it.
describe('the Materialize dialog in headless Chromium against weir dev', () => {
  let session: ConsoleBrowser;
  let page: Page;
  let base: string;
  const screenshot = (name: string) => session.screenshot(name);
  const gql = (query: string) => session.gql(query);

  beforeAll(async () => {
    session = await openConsoleBrowser({ name: 'config-e2e', artifacts: ARTIFACTS, env: { WEIR_PROJECT: PROJECT } });
    ({ page, base } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  it('renders the form from the schema, refuses a bad value naming the field, and launches with a good one', async () => {
    await session.signIn();
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
    expect(session.consoleErrors).toEqual([]);
  }, 120_000);
});
