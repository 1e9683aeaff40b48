import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Dynamic partition keys, and backfills with the state of each of their partitions. */
export class Partitions1763726900000 implements MigrationInterface {
  name = 'Partitions1763726900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // clock_timestamp(): keys added by one statement keep their order.
    await queryRunner.query(
      `CREATE TABLE "dynamic_partitions" (
        "set_name" text NOT NULL,
        "key" text NOT NULL,
        "added_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT "dynamic_partitions_pk" PRIMARY KEY ("set_name", "key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "backfills" (
        "id" uuid NOT NULL,
        "selection" text NOT NULL,
        "partition_keys" jsonb NOT NULL,
        "status" text NOT NULL,
        "max_concurrent_runs" integer NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "ended_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "backfills_pk" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "backfills_unfinished_idx" ON "backfills" ("created_at") WHERE "status" IN ('queued', 'running')`,
    );
    await queryRunner.query(
      `CREATE TABLE "backfill_partitions" (
        "backfill_id" uuid NOT NULL,
        "partition_key" text NOT NULL,
        "ordinal" integer NOT NULL,
        "run_id" uuid,
        "status" text NOT NULL,
        "error" text,
        CONSTRAINT "backfill_partitions_pk" PRIMARY KEY ("backfill_id", "partition_key"),
        CONSTRAINT "backfill_partitions_backfill_fk" FOREIGN KEY ("backfill_id") REFERENCES "backfills" ("id") ON DELETE CASCADE)`,
    );
    await queryRunner.query(
      `CREATE INDEX "backfill_partitions_next_idx" ON "backfill_partitions" ("backfill_id", "status", "ordinal")`,
    );
    await queryRunner.query(
      `CREATE INDEX "backfill_partitions_run_idx" ON "backfill_partitions" ("run_id") WHERE "run_id" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS "backfill_partitions"`);
    await queryRunner.query(`DROP TABLE IF EXISTS "backfills"`);
    await queryRunner.query(`DROP TABLE IF EXISTS "dynamic_partitions"`);
  }
}
