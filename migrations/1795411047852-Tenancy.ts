import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenancy: invitations, API keys, user preferences, soft-deleted organizations, and two more
 * reasons a refresh token is revoked.
 */
export class Tenancy1795411047852 implements MigrationInterface {
  name = 'Tenancy1795411047852';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "api_keys" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "organization_id" uuid NOT NULL,
      "name" character varying(100) NOT NULL,
      "prefix" character varying(16) NOT NULL,
      "key_hash" character(64) NOT NULL,
      "scopes" jsonb NOT NULL,
      "created_by" uuid,
      "last_used_at" TIMESTAMP WITH TIME ZONE,
      "revoked_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE INDEX "ix_api_keys_organization" ON "api_keys" ("organization_id")`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_keys_hash" ON "api_keys" ("key_hash")`);
    await queryRunner.query(`CREATE TABLE "invitations" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "organization_id" uuid NOT NULL,
      "email" character varying(320) NOT NULL,
      "role" character varying(16) NOT NULL,
      "token_hash" character(64) NOT NULL,
      "invited_by" uuid,
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "accepted_at" TIMESTAMP WITH TIME ZONE,
      "revoked_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_invitations_role" CHECK ("role" IN ('owner', 'admin', 'billing', 'member')),
      CONSTRAINT "PK_5dec98cfdfd562e4ad3648bbb07" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_invitations_pending" ON "invitations" ("organization_id", "email") WHERE "accepted_at" IS NULL AND "revoked_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_invitations_hash" ON "invitations" ("token_hash")`,
    );
    await queryRunner.query(`ALTER TABLE "users" ADD "preferences" jsonb`);
    await queryRunner.query(
      `ALTER TABLE "organizations" ADD "deleted_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_keys" ADD CONSTRAINT "fk_api_keys_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_keys" ADD CONSTRAINT "fk_api_keys_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "invitations" ADD CONSTRAINT "fk_invitations_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "invitations" ADD CONSTRAINT "fk_invitations_invited_by" FOREIGN KEY ("invited_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    // TypeORM does not diff CHECK expressions: widened by hand.
    await queryRunner.query(
      `ALTER TABLE "refresh_tokens" DROP CONSTRAINT "ck_refresh_tokens_revoked_reason"`,
    );
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ADD CONSTRAINT "ck_refresh_tokens_revoked_reason"
      CHECK ("revoked_reason" IS NULL OR "revoked_reason" IN ('rotated', 'logout', 'logout_all', 'reuse_detected', 'credentials_changed', 'account_suspended', 'account_deleted'))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "refresh_tokens" DROP CONSTRAINT "ck_refresh_tokens_revoked_reason"`,
    );
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ADD CONSTRAINT "ck_refresh_tokens_revoked_reason"
      CHECK ("revoked_reason" IS NULL OR "revoked_reason" IN ('rotated', 'logout', 'logout_all', 'reuse_detected', 'credentials_changed'))`);
    await queryRunner.query(
      `ALTER TABLE "invitations" DROP CONSTRAINT "fk_invitations_invited_by"`,
    );
    await queryRunner.query(
      `ALTER TABLE "invitations" DROP CONSTRAINT "fk_invitations_organization"`,
    );
    await queryRunner.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "fk_api_keys_created_by"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "fk_api_keys_organization"`);
    await queryRunner.query(`ALTER TABLE "organizations" DROP COLUMN "deleted_at"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "preferences"`);
    await queryRunner.query(`DROP INDEX "public"."uq_invitations_hash"`);
    await queryRunner.query(`DROP INDEX "public"."uq_invitations_pending"`);
    await queryRunner.query(`DROP TABLE "invitations"`);
    await queryRunner.query(`DROP INDEX "public"."uq_api_keys_hash"`);
    await queryRunner.query(`DROP INDEX "public"."ix_api_keys_organization"`);
    await queryRunner.query(`DROP TABLE "api_keys"`);
  }
}
