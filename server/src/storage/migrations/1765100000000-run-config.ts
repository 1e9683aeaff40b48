import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Run config: the value given at launch, keyed by asset key; null for runs launched without one. */
export class RunConfig1765100000000 implements MigrationInterface {
  name = 'RunConfig1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "runs" ADD COLUMN "config" jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "runs" DROP COLUMN "config"`);
  }
}
