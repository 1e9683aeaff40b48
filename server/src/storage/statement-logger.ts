import type { Logger } from 'typeorm';

type Parameters = unknown[] | Record<string, unknown> | undefined;

/** A statement as logged: whitespace collapsed, cut short; its values are bound, never inlined. */
export function statementShape(query: string): string {
  const shape = query.replace(/\s+/g, ' ').trim();
  return shape.length > 300 ? `${shape.slice(0, 300)}…` : shape;
}

/**
 * `message` with every bound value it quotes replaced: PostgreSQL's errors may repeat a value
 * (`invalid input syntax for type uuid: "…"`), and values are the callers' data.
 */
export function withoutParameters(message: string, parameters: Parameters): string {
  const values = Object.values(parameters ?? {})
    .flat()
    .filter((value): value is string | number => typeof value === 'string' || typeof value === 'number')
    .map(String)
    .filter((value) => value.length > 0)
    .sort((a, b) => b.length - a.length);
  let redacted = message;
  for (const value of values) redacted = redacted.split(value).join('<parameter>');
  return redacted;
}

/**
 * What the server logs of a failed statement: the error, the SQLSTATE and the statement's
 * shape. Never the bound parameters, which hold user input and may hold secrets.
 */
export function describeQueryFailure(error: unknown, query: string, parameters: Parameters): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown })?.code;
  const count = Array.isArray(parameters) ? parameters.length : Object.keys(parameters ?? {}).length;
  return `${withoutParameters(message, parameters)}${typeof code === 'string' ? ` [SQLSTATE ${code}]` : ''} in: ${statementShape(query)} (${count} parameters, not logged)`;
}

/**
 * An error as the API logs it: a failed statement (TypeORM's QueryFailedError carries the
 * query and its parameters) is reduced to {@link describeQueryFailure}; anything else is kept.
 */
export function loggableError(error: unknown): unknown {
  const failed = error as { name?: string; query?: unknown; parameters?: Parameters; driverError?: unknown };
  if (failed?.name !== 'QueryFailedError' || typeof failed.query !== 'string') return error;
  const frames = ((error as Error).stack ?? '').split('\n').slice(1).join('\n');
  return `QueryFailedError: ${describeQueryFailure(failed.driverError ?? error, failed.query, failed.parameters)}\n${frames}`;
}

/** TypeORM's logger for Weir: failed statements by shape only; nothing per successful query. */
export class StatementLogger implements Logger {
  // Called before every statement (tests count statements through it): nothing to print.
  logQuery(): void {}

  logQueryError(error: string | Error, query: string, parameters?: Parameters): void {
    console.error(`weir: SQL statement failed: ${describeQueryFailure(error, query, parameters)}`);
  }

  logQuerySlow(time: number, query: string): void {
    console.warn(`weir: slow SQL statement (${time} ms): ${statementShape(query)}`);
  }

  logSchemaBuild(): void {}

  // Migrations report themselves through the engine's own start-up messages.
  logMigration(): void {}

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') console.warn(`weir: database: ${String(message)}`);
  }
}
