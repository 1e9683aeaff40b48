import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsoleBrowser, type ConsoleBrowser } from '../support/console-browser.js';
import { waitFor } from '../support/engine-harness.js';

const PROJECT = fileURLToPath(new URL('../fixtures/automation-tree-project/index.ts', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../.artifacts/automation-tree-e2e/', import.meta.url));
/** Looked at by whoever changes the tree's drawing (and kept with the CI artifacts). */
const SCREENSHOT = '/tmp/i14ui-tree.png';
const PARTITIONED_SCREENSHOT = '/tmp/i14ui-tree-partitioned.png';

/** A node of the drawn tree, read from the DOM: its value, its label and its children's ids. */
interface DrawnNode {
  id: string;
  value: string | null;
  label: string;
  partitions: string | null;
  reasons: string[];
  children: string[];
}

const drawnTree = (within: Page | Locator) =>
  within
    .getByTestId('evaluation-tree')
    .first()
    .evaluate((tree) =>
      [...tree.querySelectorAll('[data-node-id]')].map((node) => ({
        id: node.getAttribute('data-node-id')!,
        value: node.getAttribute('data-value'),
        label: node.querySelector(':scope > .line .label')!.textContent!.trim(),
        partitions: node.querySelector(':scope > .line .partitions')?.textContent?.trim() ?? null,
        reasons: [...node.querySelectorAll(':scope > .line .reasons > li')].map((reason) => reason.textContent!.trim()),
        children: [...node.querySelectorAll(':scope > .children > [data-node-id]')].map((child) =>
          child.getAttribute('data-node-id')!,
        ),
      })),
    ) as Promise<DrawnNode[]>;

// The asset page as someone asking "why did it run?" reads it: a real upstream commit makes the
// automated asset run, and its decision is drawn as the condition tree it evaluated, each node
// with its value and reasons; collapsing it brings back the one-line reasons.
describe('the evaluation tree of an automation decision on the asset page (headless Chromium)', () => {
  let session: ConsoleBrowser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    session = await openConsoleBrowser({
      name: 'automation-tree-e2e',
      artifacts: ARTIFACTS,
      env: { WEIR_PROJECT: PROJECT },
      port: 47231,
    });
    ({ page, base } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  it('draws the tree of or(and(eager(), not(codeVersionChanged())), onCron(…)) after an upstream commit', async () => {
    await session.signIn();
    // A real commit of the upstream: its materialization evaluates silver/totals at once.
    const launched = await session.gql('mutation { materialize(selection: "bronze/orders") { id } }');
    expect(launched.materialize).toMatchObject({ id: expect.any(String) });
    // Opened once the automated run is over, so the page (and the screenshot) shows one state.
    await waitFor(async () => {
      const { asset } = (await session.gql('{ asset(key: "silver/totals") { lastMaterialization { id } } }')) as {
        asset: { lastMaterialization: { id: string } | null };
      };
      return asset.lastMaterialization !== null;
    }, 'the automated materialization of silver/totals');

    await page.goto(`${base}/assets/silver/totals`);
    // The page refreshes live: wait for the requested decision (the deploy's declined one came first).
    // By class, not by text: an open declined tree says "newly requested" too (hasText ignores case).
    await page.locator('.decisions > li.requested').first().waitFor({ timeout: 30_000 });
    const tree = page.getByTestId('evaluation-tree');
    await tree.waitFor();

    const nodes = await drawnTree(page);
    const byId = new Map(nodes.map((node) => [node.id, node]));
    const shown = (id: string) => {
      const { value, label, children } = byId.get(id)!;
      return { value, label, children };
    };
    // The condition as written, then eager() and onCron() drawn as the building blocks they are.
    expect(shown('0')).toEqual({ value: 'true', label: 'any of', children: ['0.0', '0.1'] });
    expect(shown('0.0')).toEqual({ value: 'true', label: 'all of', children: ['0.0.0', '0.0.1'] });
    expect(shown('0.0.0')).toMatchObject({ value: 'true', label: 'eager()' });
    expect(shown('0.0.1')).toEqual({ value: 'true', label: 'not', children: ['0.0.1.0'] });
    expect(shown('0.0.1.0')).toEqual({ value: 'false', label: 'code version changed', children: [] });
    expect(shown('0.1')).toMatchObject({ value: 'false', label: "onCron('0 6 * * *')" });
    const eagerParts = byId.get('0.0.0')!.children.map((id) => byId.get(id)!.label);
    expect(eagerParts).toEqual(['in latest time window', 'since last handled', 'not', 'not', 'not']);
    const depUpdated = nodes.find((node) => node.label === 'any dep updated')!;
    expect(depUpdated.value).toBe('true');
    expect(depUpdated.reasons).toEqual([
      expect.stringMatching(/^upstream bronze\/orders updated \(1 event\(s\), latest at /),
    ]);
    expect(byId.get('0.0.1.0')!.reasons).toEqual(['never materialized: missing, not a code change']);
    expect(nodes.find((node) => node.label === 'cron tick passed (0 6 * * *, UTC)')).toMatchObject({
      value: 'false',
      reasons: ['not a tick of 0 6 * * *'],
    });
    expect(await page.locator('.decisions > li.requested').first().locator('.meta').textContent()).toContain(
      'after an upstream update',
    );
    // Unpartitioned: no partition counts are drawn.
    expect(nodes.every((node) => node.partitions === null)).toBe(true);
    // The value is in words too, not only in colour.
    expect(await tree.locator('[data-node-id="0.1"] > .line .value').textContent()).toContain('False');
    expect(await tree.locator('[data-node-id="0"] > .line .value').textContent()).toContain('True');

    await page.locator('.decisions').scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await session.screenshot('tree');

    // Collapsed, the decision shows its one-line reasons again; the older (deploy) decision
    // has a tree too and opens on its own.
    const requested = page.locator('.decisions > li.requested').first();
    await requested.getByRole('button', { name: 'Hide evaluation tree' }).click();
    await expect.poll(() => tree.count()).toBe(0);
    expect(await requested.locator('.headline').textContent()).toMatch(/Requested:\s+upstream bronze\/orders updated/);
    const declined = page.locator('.decisions > li.declined').first();
    await declined.getByRole('button', { name: 'Show evaluation tree' }).click();
    expect(await declined.getByTestId('evaluation-tree').locator('[data-node-id="0"]').getAttribute('data-value')).toBe(
      'false',
    );
    expect(session.consoleErrors).toEqual([]);
  }, 120_000);

  it('says, on each node of a partitioned decision, how many of its partitions it held for', async () => {
    // eager() acts on the latest time window only: the last complete day.
    const latestDay = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await session.gql(`mutation { materialize(selection: "bronze/visits", partitions: ["${latestDay}"]) { id } }`);
    await page.goto(`${base}/assets/silver/sessions`);
    const requested = page.locator('.decisions > li.requested').first();
    await requested.waitFor({ timeout: 30_000 });
    expect(await requested.locator('.meta').textContent()).toContain(`partition ${latestDay}`);
    // A later evaluation (when the run ended) may be the newest decision, open by default:
    // open the requested one's tree, loaded on its own after the list.
    const show = requested.getByRole('button', { name: 'Show evaluation tree' });
    if (await show.count()) await show.click();
    await requested.getByTestId('evaluation-tree').locator('[data-node-id="0"]').waitFor();
    const [root, ...others] = await drawnTree(requested);
    expect(others.length).toBeGreaterThan(0);
    expect(root).toMatchObject({ value: 'true', label: 'eager()', partitions: '1 of 1 partition' });
    // Which partitions, on hover.
    expect(
      await requested
        .getByTestId('evaluation-tree')
        .locator('[data-node-id="0"] > .line .partitions')
        .getAttribute('title'),
    ).toBe(latestDay);
    await page.locator('.decisions').scrollIntoViewIfNeeded();
    await page.screenshot({ path: PARTITIONED_SCREENSHOT, fullPage: true });
    expect(session.consoleErrors).toEqual([]);
  }, 120_000);
});
