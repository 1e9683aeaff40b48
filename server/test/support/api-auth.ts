import { AuthService } from '../../src/auth/auth-service.js';
import type { Role } from '../../src/auth/principal.js';
import { openDatabase } from '../../src/storage/data-source.factory.js';

/**
 * Creates an API token directly in a PostgreSQL database (migrating it first if new), as
 * `weir token create` does without a running server. Created before a server's first start, it
 * also keeps that server from printing a first-start admin token.
 */
export async function createApiToken(
  databaseUrl: string,
  role: Role = 'admin',
  name = `test ${role}`,
): Promise<string> {
  // Migrating takes an advisory lock on one connection and migrates on another: keep the default pool.
  const database = await openDatabase({ kind: 'postgres', url: databaseUrl });
  try {
    return (await new AuthService(database.dataSource).createToken({ name, role })).token;
  } finally {
    await database.close();
  }
}
