import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions of their own, so that revoking one also ends its access tokens (each bearer request
 * reads the row). Every existing refresh token family becomes a session: live while one of its
 * tokens is, expiring with its newest token.
 */
export class Sessions1795500300000 implements MigrationInterface {
  name = 'Sessions1795500300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sessions" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_reason" character varying(32), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_sessions_user" ON "sessions"  ("user_id") `);
    await queryRunner.query(
      `INSERT INTO "sessions" ("id", "user_id", "expires_at", "revoked_at", "revoked_reason", "created_at")
       SELECT family_id, (array_agg(user_id))[1], max(expires_at),
              CASE WHEN bool_or(revoked_at IS NULL) THEN NULL ELSE max(revoked_at) END,
              CASE WHEN bool_or(revoked_at IS NULL) THEN NULL ELSE 'logout' END,
              min(created_at)
       FROM "refresh_tokens" GROUP BY family_id`,
    );
    await queryRunner.query(
      `ALTER TABLE "refresh_tokens" ADD CONSTRAINT "fk_refresh_tokens_session" FOREIGN KEY ("family_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "fk_sessions_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" DROP CONSTRAINT "fk_sessions_user"`);
    await queryRunner.query(
      `ALTER TABLE "refresh_tokens" DROP CONSTRAINT "fk_refresh_tokens_session"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_sessions_user"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
  }
}
