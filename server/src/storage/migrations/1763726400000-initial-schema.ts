import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The first schema: runs, steps, attempts, checkpoints, materializations, event log, snapshots, observations. */
export class InitialSchema1763726400000 implements MigrationInterface {
  name = 'InitialSchema1763726400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "attempts" ("id" uuid NOT NULL, "step_id" uuid NOT NULL, "run_id" uuid NOT NULL, "number" integer NOT NULL, "status" text NOT NULL, "worker_id" text NOT NULL, "heartbeat_at" TIMESTAMP WITH TIME ZONE NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE, "error_kind" text, "error_message" text, "error_stack" text, "retry_delay_ms" integer, CONSTRAINT "attempts_step_number_uq" UNIQUE ("step_id", "number"), CONSTRAINT "attempts_pk" PRIMARY KEY ("id"));`,
      `CREATE INDEX "attempts_status_idx" ON "attempts"  ("status") ;`,
      `CREATE TABLE "checkpoints" ("id" uuid NOT NULL, "step_id" uuid NOT NULL, "attempt_id" uuid NOT NULL, "state_inline" jsonb, "state_ref" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "checkpoints_pk" PRIMARY KEY ("id"));`,
      `CREATE INDEX "checkpoints_step_idx" ON "checkpoints"  ("step_id", "created_at") ;`,
      `CREATE TABLE "definition_snapshots" ("id" uuid NOT NULL, "hash" text NOT NULL, "assets" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "definition_snapshots_hash_uq" UNIQUE ("hash"), CONSTRAINT "definition_snapshots_pk" PRIMARY KEY ("id"));`,
      `CREATE TABLE "event_log" ("id" BIGSERIAL NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "type" text NOT NULL, "level" text NOT NULL DEFAULT 'info', "message" text NOT NULL DEFAULT '', "run_id" uuid, "step_id" uuid, "attempt_id" uuid, "asset_key" text, "data" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "event_log_pk" PRIMARY KEY ("id"));`,
      `CREATE INDEX "event_log_asset_idx" ON "event_log"  ("asset_key", "id") ;`,
      `CREATE INDEX "event_log_run_idx" ON "event_log"  ("run_id", "id") ;`,
      `CREATE TABLE "materializations" ("id" uuid NOT NULL, "asset_key" text NOT NULL, "partition_key" text NOT NULL DEFAULT '', "run_id" uuid NOT NULL, "step_id" uuid NOT NULL, "attempt_id" uuid NOT NULL, "code_version" text, "data_version" text NOT NULL, "value_type" text NOT NULL, "output_inline" jsonb, "output_ref" jsonb, "output_size" integer NOT NULL, "metadata" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "materializations_step_id_uq" UNIQUE ("step_id"), CONSTRAINT "materializations_pk" PRIMARY KEY ("id"));`,
      `CREATE INDEX "materializations_asset_idx" ON "materializations"  ("asset_key", "partition_key", "created_at") ;`,
      `CREATE TABLE "observations" ("id" uuid NOT NULL, "asset_key" text NOT NULL, "partition_key" text NOT NULL DEFAULT '', "data_version" text, "metadata" jsonb NOT NULL DEFAULT '{}', "source" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "observations_pk" PRIMARY KEY ("id"));`,
      `CREATE INDEX "observations_asset_idx" ON "observations"  ("asset_key", "partition_key", "created_at") ;`,
      `CREATE TABLE "runs" ("id" uuid NOT NULL, "status" text NOT NULL, "trigger" text NOT NULL, "trigger_detail" jsonb NOT NULL DEFAULT '{}', "selection" text NOT NULL, "snapshot_id" uuid NOT NULL, "parent_run_id" uuid, "idempotency_key" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "ended_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "runs_idempotency_key_uq" UNIQUE ("idempotency_key"), CONSTRAINT "runs_pk" PRIMARY KEY ("id"));`,
      `CREATE INDEX "runs_created_at_idx" ON "runs"  ("created_at") ;`,
      `CREATE TABLE "steps" ("id" uuid NOT NULL, "run_id" uuid NOT NULL, "asset_key" text NOT NULL, "partition_key" text NOT NULL DEFAULT '', "status" text NOT NULL, "depends_on" jsonb NOT NULL DEFAULT '[]', "dependents" jsonb NOT NULL DEFAULT '[]', "waiting_on" integer NOT NULL DEFAULT 0, "ordinal" integer NOT NULL DEFAULT 0, "attempt_count" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE, "queued_at" TIMESTAMP WITH TIME ZONE, "pool" text, "reused_materialization_id" uuid, "started_at" TIMESTAMP WITH TIME ZONE, "ended_at" TIMESTAMP WITH TIME ZONE, "error_message" text, CONSTRAINT "steps_run_asset_partition_uq" UNIQUE ("run_id", "asset_key", "partition_key"), CONSTRAINT "steps_pk" PRIMARY KEY ("id"));`,
      `CREATE INDEX "steps_status_idx" ON "steps"  ("status") ;`,
      `CREATE INDEX "steps_run_status_idx" ON "steps" ("run_id", "status")`,
      `ALTER TABLE "steps" ADD CONSTRAINT "steps_run_fk" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE`,
      `ALTER TABLE "attempts" ADD CONSTRAINT "attempts_step_fk" FOREIGN KEY ("step_id") REFERENCES "steps"("id") ON DELETE CASCADE`,
      `ALTER TABLE "checkpoints" ADD CONSTRAINT "checkpoints_step_fk" FOREIGN KEY ("step_id") REFERENCES "steps"("id") ON DELETE CASCADE`,
      `ALTER TABLE "materializations" ADD CONSTRAINT "materializations_step_fk" FOREIGN KEY ("step_id") REFERENCES "steps"("id")`,
      // The event log is append-only: the database itself refuses to change history.
      `CREATE FUNCTION weir_event_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'event_log is append-only'; END $$`,
      `CREATE TRIGGER event_log_append_only BEFORE UPDATE OR DELETE ON "event_log" FOR EACH ROW EXECUTE FUNCTION weir_event_log_is_append_only()`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'checkpoints',
      'attempts',
      'materializations',
      'steps',
      'runs',
      'event_log',
      'definition_snapshots',
      'observations',
    ]) {
      await queryRunner.query(`DROP TABLE IF EXISTS "${table}" CASCADE`);
    }
    await queryRunner.query(`DROP FUNCTION IF EXISTS weir_event_log_is_append_only()`);
  }
}
