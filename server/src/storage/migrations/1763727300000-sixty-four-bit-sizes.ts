import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Byte sizes and millisecond delays become 64-bit: an `integer` stops at 2^31 - 1, so a 3 GB
 * output could not be recorded ("value out of range for type integer"), nor a retry delay over
 * 24.8 days. Widening keeps every value; on PostgreSQL it rewrites the table under an exclusive
 * lock, once.
 */
export class SixtyFourBitSizes1763727300000 implements MigrationInterface {
  name = 'SixtyFourBitSizes1763727300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "materializations" ALTER COLUMN "output_size" TYPE bigint`);
    await queryRunner.query(`ALTER TABLE "attempts" ALTER COLUMN "retry_delay_ms" TYPE bigint`);
  }

  // Fails (and changes nothing) once a value above 2^31 - 1 is stored: narrowing would lose it.
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "attempts" ALTER COLUMN "retry_delay_ms" TYPE integer`);
    await queryRunner.query(`ALTER TABLE "materializations" ALTER COLUMN "output_size" TYPE integer`);
  }
}
