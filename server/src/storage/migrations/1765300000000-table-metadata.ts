import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Table outputs: row count, bytes, schema (and its change) and column lineage; null for other outputs. */
export class TableMetadata1765300000000 implements MigrationInterface {
  name = 'TableMetadata1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "materializations" ADD COLUMN "table_metadata" jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "materializations" DROP COLUMN "table_metadata"`);
  }
}
