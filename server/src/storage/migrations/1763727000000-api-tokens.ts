import type { MigrationInterface, QueryRunner } from 'typeorm';

/** API tokens (only a salted scrypt hash of each is kept) and the console's sign-in sessions. */
export class ApiTokens1763727000000 implements MigrationInterface {
  name = 'ApiTokens1763727000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "api_tokens" (
        "id" uuid NOT NULL,
        "name" text NOT NULL,
        "role" text NOT NULL,
        "salt" text NOT NULL,
        "hash" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "last_used_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "api_tokens_pk" PRIMARY KEY ("id"),
        CONSTRAINT "api_tokens_role_check" CHECK ("role" IN ('viewer', 'operator', 'admin')))`,
    );
    // The session secret itself is never stored: the key is its SHA-256.
    await queryRunner.query(
      `CREATE TABLE "api_sessions" (
        "id_hash" text NOT NULL,
        "token_id" uuid NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "api_sessions_pk" PRIMARY KEY ("id_hash"),
        CONSTRAINT "api_sessions_token_fk" FOREIGN KEY ("token_id") REFERENCES "api_tokens" ("id") ON DELETE CASCADE)`,
    );
    await queryRunner.query(`CREATE INDEX "api_sessions_token_idx" ON "api_sessions" ("token_id")`);
    await queryRunner.query(`CREATE INDEX "api_sessions_expires_idx" ON "api_sessions" ("expires_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS "api_sessions"`);
    await queryRunner.query(`DROP TABLE IF EXISTS "api_tokens"`);
  }
}
