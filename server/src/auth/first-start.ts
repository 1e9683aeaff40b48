import type { AuthService } from './auth-service.js';

/**
 * At a database's first start (no token yet), creates an admin token and prints it: the only
 * time Weir ever shows it. A later start prints nothing.
 */
export async function announceFirstAdminToken(
  auth: AuthService,
  write: (text: string) => void = (text) => process.stdout.write(text),
): Promise<void> {
  const token = await auth.bootstrapAdminToken();
  if (token) write(`weir: first start - admin API token (shown once, store it now): ${token}\n`);
}
