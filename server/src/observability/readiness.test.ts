import { describe, expect, it } from 'vitest';
import { checkReadiness } from './readiness.js';
import { redactUrlsIn } from './redact-urls.js';

describe('checkReadiness', () => {
  it('is ready when every probe answers, and reports a missing probe as not probed', async () => {
    const report = await checkReadiness({
      database: async () => undefined,
      queue: async () => undefined,
      objectStore: undefined,
    });
    expect(report.status).toBe('ready');
    expect(report.failing).toEqual([]);
    expect(report.checks.database).toMatchObject({ ok: true, probed: true });
    expect(report.checks.objectStore).toEqual({ ok: true, ms: 0, probed: false });
  });

  it('names the failing checks, with their errors stripped of credentials', async () => {
    const report = await checkReadiness({
      database: async () => undefined,
      queue: async () => {
        throw new Error('the redis queue at redis://weir:hunter2@queue.internal:6379/0 is unreachable');
      },
      objectStore: () => {
        throw new Error('disk gone');
      },
    });
    expect(report.status).toBe('not ready');
    expect(report.failing).toEqual(['queue', 'objectStore']);
    expect(report.checks.queue.error).toContain('queue.internal:6379');
    expect(report.checks.queue.error).not.toContain('hunter2');
    expect(report.checks.objectStore).toMatchObject({ ok: false, error: 'disk gone' });
  });

  it('fails a probe that does not answer within the timeout', async () => {
    const report = await checkReadiness(
      { database: () => new Promise(() => {}), queue: undefined, objectStore: undefined },
      20,
    );
    expect(report.failing).toEqual(['database']);
    expect(report.checks.database.error).toBe('the metadata database did not answer within 20 ms');
  });
});

describe('redactUrlsIn', () => {
  it('removes the user and password of every URL in a message and leaves the rest', () => {
    const message =
      'connect to postgres://weir:s3cret@db:5432/weir failed; retried redis://:pw@cache:6379 and http://example.com/x';
    const redacted = redactUrlsIn(message);
    expect(redacted).not.toMatch(/s3cret|:pw@|weir:/);
    expect(redacted).toContain('@db:5432/weir failed;');
    expect(redacted).toContain('@cache:6379 and http://example.com/x');
  });
});
