import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes the API's read paths need at scale (10k assets, 100k runs): the latest ended step and
 * the latest materialization of each asset (one index probe per asset), runs of an asset, and
 * the runs list filtered by status or trigger, newest first.
 */
export class ApiReadIndexes1763727100000 implements MigrationInterface {
  name = 'ApiReadIndexes1763727100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE INDEX "steps_asset_ended_idx" ON "steps" ("asset_key", "ended_at" DESC) WHERE "status" IN ('succeeded', 'failed')`,
      `CREATE INDEX "steps_asset_run_idx" ON "steps" ("asset_key", "run_id")`,
      `CREATE INDEX "materializations_asset_latest_idx" ON "materializations" ("asset_key", "created_at" DESC)`,
      `CREATE INDEX "runs_created_id_idx" ON "runs" ("created_at" DESC, "id" DESC)`,
      `CREATE INDEX "runs_status_created_idx" ON "runs" ("status", "created_at" DESC)`,
      `CREATE INDEX "runs_trigger_created_idx" ON "runs" ("trigger", "created_at" DESC)`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of [
      'steps_asset_ended_idx',
      'steps_asset_run_idx',
      'materializations_asset_latest_idx',
      'runs_created_id_idx',
      'runs_status_created_idx',
      'runs_trigger_created_idx',
    ])
      await queryRunner.query(`DROP INDEX IF EXISTS "${index}"`);
  }
}
