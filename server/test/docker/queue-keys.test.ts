// The Redis lists KEDA watches (docker/k8s/worker-scaledobject.yaml) hold what Weir's queue puts
// there, with the BullMQ version installed: a step dispatched and not yet taken is in the wait
// list, and a step a worker runs is in the active list. On the test Redis, in a queue of its own.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { BullMqExecutor, redisActiveListKey, redisWaitListKey } from '../../src/execution/bullmq-executor.js';
import { TEST_REDIS_URL } from '../support/env.js';

describe("the BullMQ queue's Redis lists", () => {
  const queueName = `weir-keys-test-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const producer = new BullMqExecutor({ backend: { kind: 'redis', url: TEST_REDIS_URL }, queueName });
  const consumer = new BullMqExecutor({ backend: { kind: 'redis', url: TEST_REDIS_URL }, queueName });
  afterAll(async () => {
    await Promise.all([producer.stop(), consumer.stop()]);
    const keys = await redis.keys(`bull:${queueName}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('hold the waiting steps, then the running ones', async () => {
    await producer.dispatchAll([
      { runId: 'run-1', stepId: 'a', attempt: 1 },
      { runId: 'run-1', stepId: 'b', attempt: 1 },
    ]);
    expect(await redis.llen(redisWaitListKey(queueName))).toBe(2);
    expect(await redis.llen(redisActiveListKey(queueName))).toBe(0);

    // A worker takes both and holds them until released.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    await consumer.start(async () => {
      started++;
      await held;
    });
    await expect.poll(() => started, { timeout: 10_000 }).toBe(1);
    // Concurrency 1: one running, one still waiting.
    expect(await redis.llen(redisActiveListKey(queueName))).toBe(1);
    expect(await redis.llen(redisWaitListKey(queueName))).toBe(1);
    release();
    await expect.poll(() => started, { timeout: 10_000 }).toBe(2);
    await expect
      .poll(
        async () => (await redis.llen(redisWaitListKey(queueName))) + (await redis.llen(redisActiveListKey(queueName))),
        {
          timeout: 10_000,
        },
      )
      .toBe(0);
  });

  it('are the ones the default queue uses', () => {
    expect(redisWaitListKey()).toBe('bull:weir-steps:wait');
    expect(redisActiveListKey()).toBe('bull:weir-steps:active');
  });
});
