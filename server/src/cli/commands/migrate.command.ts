import type { Command } from 'commander';

/**
 * `weir migrate`: brings the metadata database's schema up to date and exits, without loading
 * the project. Every Weir process also migrates when it opens the database (under an advisory
 * lock on PostgreSQL, so that processes starting together do not race); this command does it
 * ahead of a rollout (the migration Job in docker/k8s).
 */
export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description(
      'apply pending database schema migrations (WEIR_DATABASE_URL, or the embedded database) and exit; servers and workers also migrate at start',
    )
    .action(async (_options: unknown, command: Command) => (await import('./migrate.action.js')).runMigrate(command));
}
