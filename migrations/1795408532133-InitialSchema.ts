import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, organizations with their memberships, refresh token families and the audit log. */
export class InitialSchema1795408532133 implements MigrationInterface {
  name = 'InitialSchema1795408532133';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "users" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "email" character varying(320) NOT NULL,
      "email_verified" boolean NOT NULL DEFAULT false,
      "password_hash" character varying(255),
      "username" character varying(20),
      "full_name" character varying(100),
      "bio" character varying(500),
      "avatar_url" character varying(2048),
      "role" character varying(16) NOT NULL DEFAULT 'user',
      "status" character varying(16) NOT NULL DEFAULT 'active',
      "deleted_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_users_status" CHECK ("status" IN ('active', 'suspended')),
      CONSTRAINT "ck_users_role" CHECK ("role" IN ('user', 'admin')),
      CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_email" ON "users" ("email")`);
    // Usernames are unique regardless of case; TypeORM cannot describe expression indexes.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_users_username_lower" ON "users" (lower("username"))`,
    );

    await queryRunner.query(`CREATE TABLE "organizations" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "name" character varying(100) NOT NULL,
      "slug" character varying(120) NOT NULL,
      "region" character varying(2) NOT NULL DEFAULT 'US',
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_organizations_region" CHECK ("region" IN ('US', 'CA', 'EU', 'GB', 'AU')),
      CONSTRAINT "PK_6b031fcd0863e3f6b44230163f9" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_organizations_slug" ON "organizations" ("slug")`,
    );

    await queryRunner.query(`CREATE TABLE "memberships" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "organization_id" uuid NOT NULL,
      "user_id" uuid NOT NULL,
      "role" character varying(16) NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_memberships_role" CHECK ("role" IN ('owner', 'admin', 'billing', 'member')),
      CONSTRAINT "PK_25d28bd932097a9e90495ede7b4" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_memberships_user" ON "memberships" ("user_id")`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_memberships_org_user" ON "memberships" ("organization_id", "user_id")`,
    );
    await queryRunner.query(`ALTER TABLE "memberships" ADD CONSTRAINT "fk_memberships_organization"
      FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "memberships" ADD CONSTRAINT "fk_memberships_user"
      FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

    await queryRunner.query(`CREATE TABLE "refresh_tokens" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "user_id" uuid NOT NULL,
      "family_id" uuid NOT NULL,
      "token_hash" character(64) NOT NULL,
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "revoked_at" TIMESTAMP WITH TIME ZONE,
      "revoked_reason" character varying(32),
      "ip" character varying(64),
      "user_agent" character varying(512),
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_refresh_tokens_revoked_reason" CHECK ("revoked_reason" IS NULL OR "revoked_reason" IN ('rotated', 'logout', 'logout_all', 'reuse_detected', 'credentials_changed')),
      CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE INDEX "ix_refresh_tokens_user" ON "refresh_tokens" ("user_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_refresh_tokens_family" ON "refresh_tokens" ("family_id")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_refresh_tokens_hash" ON "refresh_tokens" ("token_hash")`,
    );
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ADD CONSTRAINT "fk_refresh_tokens_user"
      FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

    await queryRunner.query(`CREATE TABLE "audit_logs" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "entity_type" character varying(32) NOT NULL,
      "entity_id" character varying(255) NOT NULL,
      "action" character varying(32) NOT NULL,
      "actor_type" character varying(16) NOT NULL,
      "actor_id" character varying(255),
      "changes" jsonb NOT NULL,
      "metadata" jsonb NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_1bb179d048bbc581caa3b013439" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE INDEX "ix_audit_logs_actor" ON "audit_logs" ("actor_type", "actor_id", "created_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_audit_logs_entity" ON "audit_logs" ("entity_type", "entity_id", "created_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_logs"`);
    await queryRunner.query(`DROP TABLE "refresh_tokens"`);
    await queryRunner.query(`DROP TABLE "memberships"`);
    await queryRunner.query(`DROP TABLE "organizations"`);
    await queryRunner.query(`DROP TABLE "users"`);
  }
}
