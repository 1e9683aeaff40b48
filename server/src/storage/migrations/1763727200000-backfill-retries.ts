import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retrying the failed partitions of a backfill: the backfill counts its rounds (each round's
 * partition runs get their own idempotency keys), and a partition sent back to pending keeps the
 * run it failed in, so the next one re-executes from that failure.
 */
export class BackfillRetries1763727200000 implements MigrationInterface {
  name = 'BackfillRetries1763727200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "backfills" ADD COLUMN "round" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE "backfill_partitions" ADD COLUMN "failed_run_id" uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "backfill_partitions" DROP COLUMN "failed_run_id"`);
    await queryRunner.query(`ALTER TABLE "backfills" DROP COLUMN "round"`);
  }
}
