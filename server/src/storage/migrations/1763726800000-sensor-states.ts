import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sensors' durable cursors. */
export class SensorStates1763726800000 implements MigrationInterface {
  name = 'SensorStates1763726800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sensor_states" (
        "name" text NOT NULL,
        "cursor" text,
        "last_tick_at" TIMESTAMP WITH TIME ZONE,
        "last_error" text,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "sensor_states_pk" PRIMARY KEY ("name"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS "sensor_states"`);
  }
}
