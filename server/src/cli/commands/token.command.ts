import type { Command } from 'commander';
import type { ApiTokenView } from '../../auth/auth-service.js';
import { isRole, ROLES, type Role } from '../../auth/principal.js';
import type { WeirConfig } from '../../config/weir-config.js';
import { acquireDataDirLock } from '../../storage/data-dir-lock.js';
import { configFor } from '../cli-options.js';
import { apiTokenFor } from '../connect.js';
import { bold, dim, green, red } from '../render/format.js';
import { renderTable } from '../render/table.js';
import { CliError } from '../weir-client.js';

/** What `weir token` needs: the AuthService on the database, or the running `weir dev`'s REST API. */
interface TokenAdmin {
  createToken(input: { name: string; role: Role }): Promise<{ token: string; apiToken: ApiTokenView }>;
  revokeToken(idOrPrefix: string): Promise<ApiTokenView>;
  listTokens(): Promise<ApiTokenView[]>;
}

export function registerToken(program: Command): void {
  const token = program
    .command('token')
    .description('API tokens: create (shown once), revoke, list; roles viewer < operator < admin');
  token
    .command('create')
    .description('create an API token and print it, the only time it is shown')
    .requiredOption('--role <role>', `what the token may do: ${ROLES.join(', ')}`)
    .option('--name <name>', 'what the token is for, e.g. ci or airflow (default: the role)')
    .option('--json', 'print JSON')
    .action(async (options: { role: string; name?: string; json?: boolean }, command: Command) => {
      if (!isRole(options.role))
        throw new CliError(`unknown role '${options.role}': --role must be one of ${ROLES.join(', ')}`);
      const role = options.role;
      const created = await withTokenAdmin(configFor(command), (admin) =>
        admin.createToken({ name: options.name ?? `${role} token`, role }),
      );
      if (options.json) {
        process.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
        return;
      }
      const { apiToken } = created;
      process.stdout.write(
        `${green(`created ${apiToken.role} token '${apiToken.name}'`)} ${dim(`(id ${apiToken.id})`)}\n${created.token}\n`,
      );
      process.stdout.write(`${bold('This token is shown once:')} store it now (Weir keeps only a hash of it).\n`);
    });
  token
    .command('revoke')
    .description('revoke an API token at once (its console sessions end too)')
    .argument('<id>', 'the token id or a unique prefix of it (see `weir token list`)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const revoked = await withTokenAdmin(configFor(command), (admin) => admin.revokeToken(id));
      process.stdout.write(`${red(`revoked ${revoked.role} token '${revoked.name}'`)} ${dim(`(id ${revoked.id})`)}\n`);
    });
  token
    .command('list')
    .description('list API tokens (never the tokens themselves)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const tokens = await withTokenAdmin(configFor(command), (admin) => admin.listTokens());
      if (options.json) {
        process.stdout.write(`${JSON.stringify(tokens, null, 2)}\n`);
        return;
      }
      if (tokens.length === 0) {
        process.stdout.write('no API token yet: create one with `weir token create --role admin`\n');
        return;
      }
      const rows = tokens.map((t) => [
        t.id,
        t.name,
        t.role,
        when(t.createdAt),
        t.lastUsedAt ? when(t.lastUsedAt) : dim('never'),
        t.revokedAt ? red(`revoked ${when(t.revokedAt)}`) : green('active'),
      ]);
      process.stdout.write(
        `${renderTable(['id', 'name', 'role', 'created (UTC)', 'last used (UTC)', 'status'], rows)}\n`,
      );
    });
}

/**
 * Runs `work` against the running `weir dev`'s API when it holds the data directory (with the
 * CLI's token), else on the database directly (PGlite under the data directory or
 * WEIR_DATABASE_URL), as the other commands choose.
 */
async function withTokenAdmin<T>(config: WeirConfig, work: (admin: TokenAdmin) => Promise<T>): Promise<T> {
  const lock = acquireDataDirLock(config.dataDir, 'token');
  if ('heldBy' in lock) {
    if (lock.heldBy.port === null)
      throw new CliError(
        `the data directory ${config.dataDir} is in use by \`weir ${lock.heldBy.command}\` (pid ${lock.heldBy.pid}) and that process has no API to talk to; wait for it to finish`,
      );
    const { HttpClient } = await import('../http-client.js');
    return work(new HttpClient(`http://127.0.0.1:${lock.heldBy.port}`, apiTokenFor(config)));
  }
  try {
    // Imported here: the CLI starts without the database and auth code (see connect.ts).
    const [{ openDatabase }, { databaseTarget }, { AuthService }] = await Promise.all([
      import('../../storage/data-source.factory.js'),
      import('../../engine/open-weir.js'),
      import('../../auth/auth-service.js'),
    ]);
    const database = await openDatabase(databaseTarget(config));
    try {
      return await work(new AuthService(database.dataSource));
    } finally {
      await database.close();
    }
  } finally {
    lock.release();
  }
}

function when(iso: string): string {
  return iso.replace('T', ' ').slice(0, 16);
}
