import { randomUUID } from 'node:crypto';
import { BullMqExecutor } from '../../src/execution/bullmq-executor.js';
import type { Executor } from '../../src/execution/executor.port.js';
import { InProcessExecutor } from '../../src/execution/in-process-executor.js';
import { TEST_PG_URL, TEST_REDIS_URL } from '../support/env.js';
import { describeExecutorConformance } from '../support/executor-conformance.js';

describeExecutorConformance('in-process', async () => {
  let executor: InProcessExecutor | undefined;
  // One object both dispatches and consumes; a consumer's concurrency is fixed at construction.
  const dispatcher = {
    dispatch: (...args: Parameters<Executor['dispatch']>) => executor!.dispatch(...args),
    dispatchAll: (...args: Parameters<Executor['dispatchAll']>) => executor!.dispatchAll(...args),
    isPending: (...args: Parameters<Executor['isPending']>) => executor!.isPending(...args),
  } as Executor;
  return {
    dispatcher,
    async startConsumer(handler, concurrency) {
      executor = new InProcessExecutor(concurrency);
      await executor.start(handler);
      return executor;
    },
    close: async () => executor?.stop(),
  };
});

for (const backend of [
  { kind: 'redis', url: TEST_REDIS_URL },
  { kind: 'postgres', url: TEST_PG_URL },
] as const) {
  describeExecutorConformance(`BullMQ on ${backend.kind}`, async () => {
    const queueName = `weir-test-${randomUUID()}`;
    const dispatcher = new BullMqExecutor({ backend, queueName });
    const consumers: BullMqExecutor[] = [];
    return {
      dispatcher,
      async startConsumer(handler, concurrency) {
        const consumer = new BullMqExecutor({ backend, queueName, concurrency });
        await consumer.start(handler);
        consumers.push(consumer);
        return consumer;
      },
      async close() {
        await Promise.all(consumers.map((c) => c.stop()));
        await dispatcher.stop();
      },
    };
  });
}
