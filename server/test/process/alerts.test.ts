import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/alert-sink.port.js';
import { startAlertReceiver, type AlertReceiver } from '../support/alert-receiver.js';
import { killHard, runWeir, spawnWeir, waitForApi, type WeirProcess } from '../support/weir-process.js';

const PROJECT = fileURLToPath(new URL('../fixtures/alert-project/index.ts', import.meta.url));
const SECRET = 'B0000-pr0c3ss-s3cr3t';

// The wiring of a real `weir dev`: plugins loaded from the WEIR_ALERT_* settings, the freshness
// monitor started, failed runs alerted — and nothing sent twice across a restart.
describe('alerts from weir dev (webhook and Slack plugins)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-alerts-'));
  const dataDir = join(dir, '.weir');
  let receiver: AlertReceiver;
  let env: Record<string, string>;
  let dev: WeirProcess | undefined;

  beforeAll(async () => {
    receiver = await startAlertReceiver();
    env = {
      WEIR_PROJECT: PROJECT,
      WEIR_DATA_DIR: dataDir,
      WEIR_ALERT_WEBHOOK_URL: receiver.url(`/hook/${SECRET}`),
      WEIR_ALERT_SLACK_WEBHOOK_URL: receiver.url(`/services/T0/B0/${SECRET}`),
    };
  });
  afterAll(async () => {
    if (dev && dev.child.exitCode === null) await killHard(dev);
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const webhook = () =>
    receiver
      .delivered()
      .filter((r) => r.path.startsWith('/hook/'))
      .map((r) => r.body as Alert);
  const slack = () =>
    receiver
      .delivered()
      .filter((r) => r.path.startsWith('/services/'))
      .map((r) => (r.body as { text: string }).text);
  async function until(what: string, check: () => boolean): Promise<void> {
    for (let i = 0; i < 600 && !check(); i++) await sleep(50);
    if (!check()) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(receiver.requests)}`);
  }

  it('alerts a late asset, its recovery and a failed run once each, on both sinks', async () => {
    dev = spawnWeir(['dev', '--port', '0', '--no-watch'], env);
    await waitForApi(dataDir, dev);
    // Never materialized: late at once.
    await until('the late alert', () => webhook().length === 1 && slack().length === 1);
    expect(webhook()[0]).toMatchObject({ kind: 'freshness.late', assetKey: 'alerts/report' });
    expect(slack()[0]).toBe(':red_circle: alerts/report is late');

    const ok = await runWeir(['materialize', 'alerts/report'], env);
    expect(ok.code, ok.output).toBe(0);
    await until('the recovery notice', () => webhook().length === 2 && slack().length === 2);
    expect(webhook()[1]).toMatchObject({ kind: 'freshness.recovered', assetKey: 'alerts/report' });
    expect(slack()[1]).toBe(':large_green_circle: alerts/report is fresh again');

    const failed = await runWeir(['materialize', 'alerts/broken'], env);
    expect(failed.code).toBe(1);
    await until('the run.failed alert', () => webhook().length === 3 && slack().length === 3);
    expect(webhook()[2]).toMatchObject({ kind: 'run.failed', assetKey: 'alerts/broken' });
    expect(webhook()[2]!.text).toContain('the vendor file is empty (simulated)');

    const freshness = await runWeir(['freshness'], env);
    expect(freshness.code, freshness.output).toBe(0);
    expect(freshness.output).toMatch(/alerts\/report\s+maxLag 1h \(warn 45m\)\s+fresh/);

    dev.child.kill('SIGTERM');
    expect(await dev.exited).toBe(0);
    expect(dev.output()).not.toContain(SECRET);

    // A restart re-evaluates everything and re-alerts nothing.
    dev = spawnWeir(['dev', '--port', '0', '--no-watch'], env);
    await waitForApi(dataDir, dev);
    await sleep(1_000);
    dev.child.kill('SIGTERM');
    expect(await dev.exited).toBe(0);
    expect(receiver.requests).toHaveLength(6);
  });
});
