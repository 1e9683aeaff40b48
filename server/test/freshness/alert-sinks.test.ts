import { createAlertSink as createSlackSink } from '@weir/alert-slack';
import { createAlertSink as createWebhookSink } from '@weir/alert-webhook';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertDispatcher } from '../../src/alerts/alert-dispatcher.js';
import { createAlertSinks } from '../../src/alerts/alert-sink.factory.js';
import type { Alert, AlertSink } from '../../src/alerts/alert-sink.port.js';
import { loadConfig } from '../../src/config/weir-config.js';
import { systemClock } from '../../src/runs/clock.js';
import type { OpenedDatabase } from '../../src/storage/data-source.factory.js';
import { startAlertReceiver, type AlertReceiver } from '../support/alert-receiver.js';
import { openTestDatabase, STORAGE_BACKENDS, type StorageBackend } from '../support/databases.js';

const SECRET = 'xoxb-s3cr3t-w3bh00k-t0k3n';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function lateAlert(dedupKey: string): Alert {
  return {
    kind: 'freshness.late',
    title: 'gold/daily_revenue is late',
    text: "Missed the deadline 2026-01-01T09:30:00.000Z (deadline '0 9 * * *' UTC +30m). Rows <100> & counting.",
    assetKey: 'gold/daily_revenue',
    partitionKey: '',
    dedupKey,
    at: '2026-01-01T09:30:00.000Z',
    details: { status: 'late', missedDeadline: '2026-01-01T09:30:00.000Z', lagMs: 5_400_000, nextDeadline: null },
  };
}

describe.each(STORAGE_BACKENDS)('alert sinks and their delivery on %s', (backend: StorageBackend) => {
  let db: OpenedDatabase;
  let receiver: AlertReceiver;
  const logs: string[] = [];

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    receiver = await startAlertReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await db?.close();
  });

  const dispatcherFor = (sinks: AlertSink[]) =>
    new AlertDispatcher({
      dataSource: db.dataSource,
      sinks,
      clock: systemClock,
      log: (line) => logs.push(line),
      retryDelayMs: 5,
      maxAttempts: 3,
    });
  const deliveries = (dedupKey: string) =>
    db.dataSource.query(`SELECT sink, status, attempts, error FROM alert_deliveries WHERE dedup_key = $1`, [dedupKey]);

  it('posts Slack incoming-webhook messages ({ text, blocks }), once per dedup key', async () => {
    const path = `/services/T000/B000/${SECRET}`;
    const sinks = await createAlertSinks({ alertWebhookUrl: undefined, alertSlackWebhookUrl: receiver.url(path) });
    expect(sinks.map((sink) => sink.name)).toEqual(['slack']);
    const dispatcher = dispatcherFor(sinks);
    await dispatcher.dispatch(lateAlert('slack-format'));
    await dispatcher.dispatch(lateAlert('slack-format'));
    const received = receiver.delivered().filter((r) => r.path === path);
    expect(received).toHaveLength(1);
    expect(received[0]!.headers['content-type']).toBe('application/json');
    const message = received[0]!.body as { text: string; blocks: Array<Record<string, unknown>> };
    expect(message.text).toBe(':red_circle: gold/daily_revenue is late');
    expect(message.blocks.map((block) => block.type)).toEqual(['header', 'section', 'section', 'context']);
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: ':red_circle: gold/daily_revenue is late', emoji: true },
    });
    // mrkdwn: &, < and > escaped, so nothing in a message can ping a channel or become a link.
    expect(message.blocks[1]).toMatchObject({
      type: 'section',
      text: { type: 'mrkdwn', text: expect.stringContaining('Rows &lt;100&gt; &amp; counting.') },
    });
    expect(message.blocks[2]!.fields).toEqual([
      { type: 'mrkdwn', text: '*status*\nlate' },
      { type: 'mrkdwn', text: '*missedDeadline*\n2026-01-01T09:30:00.000Z' },
      { type: 'mrkdwn', text: '*lagMs*\n5400000' },
    ]);
    expect(message.blocks[3]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '`freshness.late` · asset `gold/daily_revenue` · 2026-01-01T09:30:00.000Z' }],
    });
    expect(await deliveries('slack-format')).toEqual([{ sink: 'slack', status: 'sent', attempts: 1, error: null }]);
  });

  it('posts the alert as JSON to a webhook', async () => {
    const path = `/alerts?token=${SECRET}`;
    const dispatcher = dispatcherFor([createWebhookSink(receiver.url(path))]);
    await dispatcher.dispatch(lateAlert('webhook-json'));
    const [request] = receiver.delivered().filter((r) => r.path === path);
    expect(request!.method).toBe('POST');
    expect(request!.body).toEqual({ source: 'weir', ...lateAlert('webhook-json') });
  });

  it('retries 5xx and 429 answers, gives up at once on other 4xx, and a failed delivery may be claimed again', async () => {
    const path = `/retry/${SECRET}`;
    const dispatcher = dispatcherFor([createSlackSink(receiver.url(path))]);
    receiver.failNext(1, 503, 'busy');
    receiver.failNext(1, 429, 'rate_limited', { 'retry-after': '0' });
    await dispatcher.dispatch(lateAlert('retried'));
    expect(receiver.requests.filter((r) => r.path === path)).toHaveLength(3);
    expect(await deliveries('retried')).toEqual([{ sink: 'slack', status: 'sent', attempts: 3, error: null }]);

    receiver.failNext(1, 400, 'invalid_payload');
    await dispatcher.dispatch(lateAlert('refused'));
    expect(receiver.requests.filter((r) => r.path === path)).toHaveLength(4);
    expect(await deliveries('refused')).toEqual([
      { sink: 'slack', status: 'failed', attempts: 1, error: 'slack: the receiver answered 400: invalid_payload' },
    ]);
    // Dispatched again (e.g. by a restarted monitor): a failed delivery is tried again.
    await dispatcher.dispatch(lateAlert('refused'));
    expect(await deliveries('refused')).toMatchObject([{ status: 'sent' }]);
    expect(receiver.delivered().filter((r) => r.path === path)).toHaveLength(2);
  });

  it('never shows a webhook URL: unreachable receivers, invalid settings, missing plugins', async () => {
    const dispatcher = dispatcherFor([createWebhookSink(`http://127.0.0.1:${await closedPort()}/hook/${SECRET}`)]);
    await dispatcher.dispatch(lateAlert('unreachable'));
    const [failed] = await deliveries('unreachable');
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, error: 'webhook: request failed: ECONNREFUSED' });
    expect(logs.join('\n')).toContain('alert unreachable to webhook failed after 3 attempt(s)');
    expect(logs.join('\n')).not.toContain(SECRET);

    expect(() => loadConfig({ WEIR_ALERT_SLACK_WEBHOOK_URL: `ftp://hooks.example.com/${SECRET}` })).toThrow(
      /WEIR_ALERT_SLACK_WEBHOOK_URL="ftp:\/\/hooks\.example\.com\/…" is invalid: expected an http:\/\/ or https:\/\/ URL/,
    );
    expect(() => loadConfig({ WEIR_ALERT_WEBHOOK_URL: SECRET })).not.toThrow(new RegExp(SECRET));
    expect(() => createSlackSink(`hooks.slack.com/${SECRET}`)).toThrow(/^WEIR_ALERT_SLACK_WEBHOOK_URL must be/);
    expect(() => createSlackSink(`hooks.slack.com/${SECRET}`)).not.toThrow(new RegExp(SECRET));

    const missing = Object.assign(new Error("Cannot find package '@weir/alert-slack'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const load = createAlertSinks(
      { alertWebhookUrl: undefined, alertSlackWebhookUrl: `https://hooks.slack.com/services/${SECRET}` },
      { importModule: () => Promise.reject(missing) },
    );
    await expect(load).rejects.toThrow(
      'WEIR_ALERT_SLACK_WEBHOOK_URL is set, which needs the @weir/alert-slack plugin: npm install @weir/alert-slack',
    );
    await expect(load).rejects.not.toThrow(new RegExp(SECRET));
    expect(await createAlertSinks({ alertWebhookUrl: undefined, alertSlackWebhookUrl: undefined })).toEqual([]);
  });
});
