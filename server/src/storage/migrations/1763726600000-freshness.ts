import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Freshness: the current status per (asset, partition), and the alert deliveries that make each
 * alert go out once per sink however many processes or restarts see it.
 */
export class Freshness1763726600000 implements MigrationInterface {
  name = 'Freshness1763726600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      // partition_key '' until assets are partitioned.
      `CREATE TABLE "freshness_states" ("asset_key" text NOT NULL, "partition_key" text NOT NULL DEFAULT '', "status" text NOT NULL, "since" TIMESTAMP WITH TIME ZONE NOT NULL, "last_materialized_at" TIMESTAMP WITH TIME ZONE, "missed_deadline" TIMESTAMP WITH TIME ZONE, "lag_ms" bigint, "last_breach_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "freshness_states_pk" PRIMARY KEY ("asset_key", "partition_key"))`,
      `CREATE TABLE "alert_deliveries" ("sink" text NOT NULL, "dedup_key" text NOT NULL, "kind" text NOT NULL, "status" text NOT NULL, "attempts" integer NOT NULL DEFAULT 0, "error" text, "claimed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "alert_deliveries_pk" PRIMARY KEY ("sink", "dedup_key"))`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS "alert_deliveries"`);
    await queryRunner.query(`DROP TABLE IF EXISTS "freshness_states"`);
  }
}
