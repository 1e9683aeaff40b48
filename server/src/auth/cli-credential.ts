import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthError } from './auth-errors.js';
import type { AuthService } from './auth-service.js';

/** Name of the file, in the data directory, that holds the local CLI's token. */
export const CLI_TOKEN_FILE = 'cli-token';
/** Name of the admin token `weir dev` keeps for the local CLI. */
export const CLI_TOKEN_NAME = 'weir-cli (local)';

/** Path of the CLI credential of a data directory. */
export function cliTokenPath(dataDir: string): string {
  return join(dataDir, CLI_TOKEN_FILE);
}

/** The token stored in `<dataDir>/cli-token`, if there is one. */
export function readCliToken(dataDir: string): string | undefined {
  try {
    return readFileSync(cliTokenPath(dataDir), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes sure `<dataDir>/cli-token` (mode 0600) holds a valid admin token, so that the CLI on
 * this machine can talk to the `weir dev` holding the directory: the stored one when it still
 * authenticates as an admin, else a new one named {@link CLI_TOKEN_NAME}.
 */
export async function ensureCliToken(auth: AuthService, dataDir: string): Promise<void> {
  const path = cliTokenPath(dataDir);
  const stored = readCliToken(dataDir);
  if (stored && (await isAdminToken(auth, stored))) {
    chmodSync(path, 0o600);
    return;
  }
  const { token } = await auth.createToken({ name: CLI_TOKEN_NAME, role: 'admin' });
  // Written aside and renamed: a reader sees the old token or the new one, never half of it.
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${token}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}

async function isAdminToken(auth: AuthService, token: string): Promise<boolean> {
  try {
    const principal = await auth.authenticate({ headers: { authorization: `Bearer ${token}` }, ip: 'weir-dev:local' });
    return principal.role === 'admin';
  } catch (error) {
    if (error instanceof AuthError) return false;
    throw error;
  }
}
