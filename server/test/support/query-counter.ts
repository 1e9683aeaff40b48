import type { DataSource, Logger } from 'typeorm';

/**
 * Counts the SQL statements a DataSource sends while `work` runs, by wrapping the logger
 * TypeORM calls before every query (whatever is configured for printing).
 */
export async function countQueries(
  dataSource: DataSource,
  work: () => Promise<unknown>,
): Promise<{ count: number; queries: string[] }> {
  const original = dataSource.logger;
  const queries: string[] = [];
  const counting = new Proxy(original, {
    get(target, property, receiver) {
      if (property === 'logQuery')
        return (query: string, ...rest: unknown[]) => {
          queries.push(query.replace(/\s+/g, ' ').slice(0, 120));
          return (target.logQuery as (...args: unknown[]) => unknown).call(target, query, ...rest);
        };
      return Reflect.get(target, property, receiver);
    },
  }) as Logger;
  Object.defineProperty(dataSource, 'logger', { value: counting, configurable: true, writable: true });
  try {
    await work();
  } finally {
    Object.defineProperty(dataSource, 'logger', { value: original, configurable: true, writable: true });
  }
  return { count: queries.length, queries };
}
