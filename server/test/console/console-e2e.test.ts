import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsoleBrowser, type ConsoleBrowser } from '../support/console-browser.js';
import { waitFor } from '../support/engine-harness.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/** Screenshots of every step, kept after the run (CI artifacts). */
const ARTIFACTS = fileURLToPath(new URL('../.artifacts/console-e2e/', import.meta.url));

// The console as an on-call engineer uses it, against a real `weir dev` on PostgreSQL with the
// example project: sign in, lineage, click a node, materialize it and watch its status change
// live, open the run and see the retry, re-execute a failed run from its failure, and read the
// freshness board after a breach. Any browser console error fails the test, and so does any
// Content-Security-Policy violation: every page runs under the server's CSP.
describe('the console in headless Chromium against weir dev on PostgreSQL', () => {
  let session: ConsoleBrowser;
  let page: Page;
  let base: string;
  let adminToken: string;
  let dataDir: string;
  let shot = 0;
  const screenshot = (name: string) => session.screenshot(`${String(++shot).padStart(2, '0')}-${name}`);

  beforeAll(async () => {
    session = await openConsoleBrowser({
      name: 'console-e2e',
      artifacts: ARTIFACTS,
      cwd: REPO,
      viewport: { width: 1440, height: 900 },
    });
    ({ page, base, adminToken, dataDir } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  /** Where a lineage node is on the page, from the Cytoscape instance the page exposes. */
  const nodePosition = (key: string) =>
    page.evaluate((assetKey) => {
      const probe = (globalThis as unknown as { __weirLineage: { cy: import('cytoscape').Core } }).__weirLineage;
      const node = probe.cy.getElementById(assetKey);
      const box = probe.cy.container()!.getBoundingClientRect();
      const position = node.renderedPosition();
      return { x: box.left + position.x, y: box.top + position.y };
    }, key);
  const nodeStatus = (key: string) =>
    page.evaluate((assetKey) => {
      const probe = (globalThis as unknown as { __weirLineage: { cy: import('cytoscape').Core } }).__weirLineage;
      return String(probe.cy.getElementById(assetKey).data('status'));
    }, key);

  it('signs in with a token and shows the lineage', async () => {
    const landing = await page.goto(`${base}/`);
    expect(landing!.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(landing!.headers()['x-frame-options']).toBe('DENY');
    await page.waitForURL(/\/sign-in/);
    await screenshot('sign-in');
    await page.getByLabel(/token/i).fill(adminToken);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.waitForFunction(
      () => (globalThis as { __weirLineage?: { ready?: boolean } }).__weirLineage?.ready === true,
    );
    expect(
      await page.evaluate(
        () => (globalThis as unknown as { __weirLineage: { nodeCount: number } }).__weirLineage.nodeCount,
      ),
    ).toBeGreaterThanOrEqual(14);
    expect(await nodeStatus('bronze/orders')).toMatch(/never/i);
    await screenshot('lineage');
  }, 60_000);

  it('clicks a node, materializes it, and sees its status change live', async () => {
    const { x, y } = await nodePosition('bronze/orders');
    await page.mouse.click(x, y);
    const panel = page.getByRole('complementary', { name: 'Asset bronze/orders' });
    await panel.waitFor();
    await screenshot('side-panel');
    await panel.getByRole('button', { name: /materialize/i }).click();
    // bronze/orders fails its first attempt on purpose and retries after 1s: it is seen
    // running, then fresh, pushed by the subscription (the page is never reloaded).
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { __weirLineage: { cy: import('cytoscape').Core } }).__weirLineage.cy
          .getElementById('bronze/orders')
          .hasClass('status-running'),
      null,
      { timeout: 30_000, polling: 20 },
    );
    await screenshot('running');
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { __weirLineage: { cy: import('cytoscape').Core } }).__weirLineage.cy
          .getElementById('bronze/orders')
          .hasClass('status-fresh'),
      null,
      { timeout: 30_000 },
    );
    await screenshot('fresh');
  }, 60_000);

  it('opens the run and sees the retry with its delay in the timeline', async () => {
    await page
      .getByRole('complementary', { name: 'Asset bronze/orders' })
      .getByRole('link', { name: /^[0-9a-f]{8}$/ })
      .first()
      .click();
    await page.waitForURL(/\/runs\/[0-9a-f-]+/);
    await page.getByText('retry in 1s').first().waitFor();
    await page
      .getByText(/Succeeded/)
      .first()
      .waitFor();
    await screenshot('run-with-retry');
  }, 60_000);

  it('re-executes a failed run from its failure', async () => {
    // A simulated outage of the product catalog (the example project's demo knob).
    writeFileSync(join(dataDir, 'pim-outage'), 'maintenance\n');
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ query: 'mutation { materialize(selection: "+silver/orders") { id } }' }),
    });
    const failedRunId = ((await response.json()) as { data: { materialize: { id: string } } }).data.materialize.id;
    await page.goto(`${base}/runs/${failedRunId}`);
    await page
      .getByText(/maintenance in progress/)
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshot('failed-run');
    rmSync(join(dataDir, 'pim-outage'));
    await page.getByRole('button', { name: /re-execute from failure/i }).click();
    const confirm = page.getByRole('button', { name: /^(re-execute|confirm)/i });
    if (await confirm.count())
      await confirm
        .first()
        .click()
        .catch(() => {});
    await page.waitForURL((url) => /\/runs\/[0-9a-f-]+/.test(url.pathname) && !url.pathname.includes(failedRunId), {
      timeout: 30_000,
    });
    await page
      .getByText(/Succeeded/)
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshot('re-executed');
  }, 90_000);

  it('shows the freshness board after a breach in plain words', async () => {
    await page.goto(`${base}/freshness`);
    // gold/daily_revenue has a 09:00 deadline and was never materialized: it is late.
    const row = page.getByRole('row').filter({ hasText: 'gold/daily_revenue' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/Late/);
    await screenshot('freshness');
  }, 60_000);

  it('opens the runs list, an asset page and the backfills page under the CSP', async () => {
    await page.goto(`${base}/runs`);
    await page.getByRole('heading', { name: 'Runs', level: 1 }).waitFor();
    await page
      .getByRole('link', { name: /^Run [0-9a-f-]{36}$/ })
      .first()
      .waitFor();
    await screenshot('runs');
    await page.goto(`${base}/assets/bronze/orders`);
    await page.getByRole('heading', { name: 'bronze/orders', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Materializations' }).waitFor();
    await screenshot('asset');
    await page.goto(`${base}/backfills`);
    await page.getByRole('heading', { name: 'Backfills', level: 1 }).waitFor();
    await page.goto(`${base}/`);
    await page.waitForFunction(
      () => (globalThis as { __weirLineage?: { ready?: boolean } }).__weirLineage?.ready === true,
    );
    await screenshot('lineage-again');
  }, 60_000);

  it('draws the column lineage the example project declares on silver/sku_sales', async () => {
    const launched = (await session.gql('mutation { materialize(selection: "+silver/sku_sales") { id } }')) as {
      materialize: { id: string };
    };
    await waitFor(async () => {
      const { run } = (await session.gql(`{ run(id: "${launched.materialize.id}") { status } }`)) as {
        run: { status: string };
      };
      return run.status === 'SUCCEEDED' ? true : undefined;
    }, 'the run of +silver/sku_sales');
    const { asset } = (await session.gql(
      '{ asset(key: "silver/sku_sales") { columnLineage { from { asset column } to { column } } } }',
    )) as { asset: { columnLineage: Array<{ from: { asset: string; column: string }; to: { column: string } }> } };
    const edges = asset.columnLineage.map((edge) => `${edge.from.asset}.${edge.from.column} → ${edge.to.column}`);
    expect(edges).toEqual(
      expect.arrayContaining([
        'bronze/order_lines.sku → sku',
        'bronze/products.category → category',
        'bronze/order_lines.quantity → units',
        'bronze/order_lines.quantity → list_revenue_eur',
        'bronze/products.list_price_eur → list_revenue_eur',
      ]),
    );
    await page.goto(`${base}/assets/silver/sku_sales`);
    const lineage = page.getByTestId('column-lineage');
    await lineage.waitFor();
    await lineage.scrollIntoViewIfNeeded();
    for (const upstream of ['bronze/order_lines', 'bronze/products']) {
      await lineage.getByTestId('lineage-upstream-asset').filter({ hasText: upstream }).waitFor();
    }
    // One drawn line per declared edge.
    expect(await lineage.getByTestId('lineage-link').count()).toBe(edges.length);
    await screenshot('column-lineage');
  }, 120_000);

  it('logged no error in the browser console', () => {
    expect(session.consoleErrors).toEqual([]);
  });
});
