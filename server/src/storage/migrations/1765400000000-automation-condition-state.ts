import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Durable state of automation conditions (issue 14): the "since" latches and remembered
 * subsets per (asset, partition, condition node), the per-asset root (which condition was
 * evaluated, how often, the last tick seen per cron schedule, cursors), and inbox events
 * dismissed when a condition is (re)initialized: consumed (never run, never lost) without a run.
 */
export class AutomationConditionState1765400000000 implements MigrationInterface {
  name = 'AutomationConditionState1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "automation_condition_state" (
        "asset_key" text NOT NULL,
        "node_id" text NOT NULL,
        "partition_key" text NOT NULL DEFAULT '',
        "value" jsonb NOT NULL DEFAULT '{}',
        "since" TIMESTAMP WITH TIME ZONE,
        "reason" text,
        CONSTRAINT "automation_condition_state_pk" PRIMARY KEY ("asset_key", "node_id", "partition_key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "automation_condition_roots" (
        "asset_key" text NOT NULL,
        "fingerprint" text NOT NULL,
        "partitions_kind" text NOT NULL,
        "evaluations" bigint NOT NULL DEFAULT 0,
        "last_evaluated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_cron_ticks" jsonb NOT NULL DEFAULT '{}',
        "cursor" jsonb NOT NULL DEFAULT '{}',
        CONSTRAINT "automation_condition_roots_pk" PRIMARY KEY ("asset_key"))`,
    );
    // "Newly requested" counts an asset (partition)'s steps at each evaluation.
    await queryRunner.query(`CREATE INDEX "steps_asset_partition_idx" ON "steps" ("asset_key", "partition_key")`);
    await queryRunner.query(`ALTER TABLE "automation_inbox" ADD COLUMN "dismissed_at" TIMESTAMP WITH TIME ZONE`);
    // Pending = not consumed by a run and not dismissed: both set consumed_at.
    await queryRunner.query(`DROP INDEX IF EXISTS "automation_inbox_pending_idx"`);
    await queryRunner.query(
      `CREATE INDEX "automation_inbox_pending_idx" ON "automation_inbox" ("downstream_key", "id") WHERE "consumed_at" IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "automation_inbox_pending_idx"`);
    await queryRunner.query(
      `CREATE INDEX "automation_inbox_pending_idx" ON "automation_inbox" ("downstream_key", "id") WHERE "consumed_by_run_id" IS NULL`,
    );
    await queryRunner.query(`ALTER TABLE "automation_inbox" DROP COLUMN "dismissed_at"`);
    await queryRunner.query(`DROP INDEX IF EXISTS "steps_asset_partition_idx"`);
    await queryRunner.query(`DROP TABLE IF EXISTS "automation_condition_roots"`);
    await queryRunner.query(`DROP TABLE IF EXISTS "automation_condition_state"`);
  }
}
