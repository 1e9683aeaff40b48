import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Asset checks: one row per check per materialization. */
export class AssetChecks1763726500000 implements MigrationInterface {
  name = 'AssetChecks1763726500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "check_results" ("id" uuid NOT NULL, "materialization_id" uuid NOT NULL, "asset_key" text NOT NULL, "partition_key" text NOT NULL DEFAULT '', "run_id" uuid NOT NULL, "step_id" uuid NOT NULL, "check_name" text NOT NULL, "ordinal" integer NOT NULL DEFAULT 0, "severity" text NOT NULL, "passed" boolean NOT NULL, "message" text, "metadata" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "check_results_materialization_check_uq" UNIQUE ("materialization_id", "check_name"), CONSTRAINT "check_results_pk" PRIMARY KEY ("id"))`,
      `CREATE INDEX "check_results_asset_idx" ON "check_results" ("asset_key", "check_name", "created_at")`,
      // Results describe a materialization and go with it.
      `ALTER TABLE "check_results" ADD CONSTRAINT "check_results_materialization_fk" FOREIGN KEY ("materialization_id") REFERENCES "materializations"("id") ON DELETE CASCADE`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS "check_results"`);
  }
}
