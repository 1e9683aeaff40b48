import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Upstream events waiting to be consumed by each automated downstream asset. */
export class AutomationInbox1763726700000 implements MigrationInterface {
  name = 'AutomationInbox1763726700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "automation_inbox" (
        "id" BIGSERIAL NOT NULL,
        "downstream_key" text NOT NULL,
        "upstream_key" text NOT NULL,
        "partition_key" text NOT NULL DEFAULT '',
        "materialization_id" uuid,
        "observation_id" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "consumed_by_run_id" uuid,
        "consumed_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "automation_inbox_pk" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "automation_inbox_pending_idx" ON "automation_inbox" ("downstream_key", "id") WHERE "consumed_by_run_id" IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS "automation_inbox"`);
  }
}
