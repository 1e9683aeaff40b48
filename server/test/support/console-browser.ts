import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { consoleDirectory } from '../../src/api/console-assets.js';
import { createPostgresDatabase, dropPostgresDatabase } from './databases.js';
import { killHard, spawnWeir, waitForApi, type WeirProcess } from './weir-process.js';

const CHROMIUM = '/usr/bin/chromium';

export interface ConsoleBrowserOptions {
  /** Names the temporary folder. */
  readonly name: string;
  /** Where screenshots go; emptied first and kept after the run (CI artifacts). */
  readonly artifacts: string;
  /** Extra environment for `weir dev` (e.g. WEIR_PROJECT); the data dir and database are set here. */
  readonly env?: Readonly<Record<string, string>>;
  /** The working directory of `weir dev` (the repository, for the example project). */
  readonly cwd?: string;
  readonly viewport?: { readonly width: number; readonly height: number };
  /** The port of `weir dev` (default: any free one). */
  readonly port?: number;
}

/** A `weir dev` on its own PostgreSQL database, and a headless Chromium page pointed at it. */
export interface ConsoleBrowser {
  readonly base: string;
  readonly adminToken: string;
  readonly dataDir: string;
  /** The PostgreSQL database `weir dev` runs on (dropped by `close()`). */
  readonly databaseUrl: string;
  readonly page: Page;
  /** Every error the page logged or threw; a test asserts it stays empty. */
  readonly consoleErrors: string[];
  screenshot(name: string): Promise<void>;
  /** A GraphQL request as the admin, answering `data`. */
  gql(query: string): Promise<Record<string, unknown>>;
  signIn(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts `weir dev` and Chromium the way the console's end-to-end tests need them. Any CSP
 * violation is logged as a console error by an init script, so it fails the test that checks
 * `consoleErrors` like any other error.
 */
export async function openConsoleBrowser(options: ConsoleBrowserOptions): Promise<ConsoleBrowser> {
  if (!existsSync(join(consoleDirectory(), 'index.html'))) throw new Error('the console is not built (npm run build)');
  rmSync(options.artifacts, { recursive: true, force: true });
  mkdirSync(options.artifacts, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), `weir-${options.name}-`));
  const dataDir = join(dir, '.weir');
  let databaseUrl: string | undefined;
  let dev: WeirProcess | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    if (dev && dev.child.exitCode === null) await killHard(dev);
    if (databaseUrl) await dropPostgresDatabase(databaseUrl);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    databaseUrl = await createPostgresDatabase();
    dev = spawnWeir(
      ['dev', '--port', String(options.port ?? 0), '--no-watch'],
      { ...options.env, WEIR_DATA_DIR: dataDir, WEIR_DATABASE_URL: databaseUrl },
      options.cwd,
    );
    const base = await waitForApi(dataDir, dev);
    const adminToken = /admin API token \(shown once, store it now\): (weir_\S+)/.exec(dev.output())![1]!;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 } });
    // Chromium logs most refusals itself; the event also catches those it reports only there.
    await context.addInitScript(() => {
      // The violation event bubbles from the document to the window (no DOM types here).
      const window = globalThis as unknown as {
        addEventListener(
          type: string,
          listener: (event: { violatedDirective: string; blockedURI: string }) => void,
        ): void;
      };
      window.addEventListener('securitypolicyviolation', (event) =>
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`),
      );
    });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      // A refusal answered as a GraphQL error is not logged; anything logged as an error is a bug.
      if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
    return {
      base,
      adminToken,
      dataDir,
      databaseUrl,
      page,
      consoleErrors,
      close,
      async screenshot(name) {
        await page.screenshot({ path: join(options.artifacts, `${name}.png`), fullPage: true });
      },
      async gql(query) {
        const response = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
          body: JSON.stringify({ query }),
        });
        return ((await response.json()) as { data: Record<string, unknown> }).data;
      },
      async signIn() {
        await page.goto(`${base}/sign-in`);
        await page.getByLabel(/token/i).fill(adminToken);
        await page.getByRole('button', { name: /sign in/i }).click();
        await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}
