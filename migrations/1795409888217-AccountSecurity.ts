import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account security: the mail outbox, login history, verification and reset tokens, TOTP factors
 * and recovery codes, OAuth identities and pending authorization states.
 */
export class AccountSecurity1795409888217 implements MigrationInterface {
  name = 'AccountSecurity1795409888217';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "mfa_factors" (
      "user_id" uuid NOT NULL,
      "secret" character varying(64) NOT NULL,
      "enabled_at" TIMESTAMP WITH TIME ZONE,
      "last_time_step" bigint,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_120abae8e4a6232bfe2c75b59d2" PRIMARY KEY ("user_id"))`);
    await queryRunner.query(`CREATE TABLE "mfa_recovery_codes" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "user_id" uuid NOT NULL,
      "code_hash" character(64) NOT NULL,
      "used_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_0076416b1b84361afc3371ba121" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_mfa_recovery_codes_user_hash" ON "mfa_recovery_codes" ("user_id", "code_hash")`,
    );
    await queryRunner.query(`CREATE TABLE "oauth_accounts" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "provider" character varying(16) NOT NULL,
      "provider_account_id" character varying(255) NOT NULL,
      "user_id" uuid NOT NULL,
      "email" character varying(320),
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_oauth_accounts_provider" CHECK ("provider" IN ('github', 'google')),
      CONSTRAINT "PK_710a81523f515b78f894e33bb10" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE INDEX "ix_oauth_accounts_user" ON "oauth_accounts" ("user_id")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_oauth_accounts_provider_account" ON "oauth_accounts" ("provider", "provider_account_id")`,
    );
    await queryRunner.query(`CREATE TABLE "oauth_states" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "state_hash" character(64) NOT NULL,
      "provider" character varying(16) NOT NULL,
      "code_verifier" character varying(128) NOT NULL,
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_c9df6e4203e8ca042bfe5bd00ec" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_oauth_states_hash" ON "oauth_states" ("state_hash")`,
    );
    await queryRunner.query(`CREATE TABLE "mail_outbox" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "recipient" character varying(320) NOT NULL,
      "template" character varying(64) NOT NULL,
      "subject" character varying(255) NOT NULL,
      "html" text,
      "text" text,
      "status" character varying(16) NOT NULL DEFAULT 'pending',
      "attempts" integer NOT NULL DEFAULT '0',
      "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "last_error" character varying(1000),
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "sent_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "ck_mail_outbox_status" CHECK ("status" IN ('pending', 'sent', 'failed')),
      CONSTRAINT "PK_fecc63c96385bc35a39ccf2a72e" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE INDEX "ix_mail_outbox_recipient" ON "mail_outbox" ("recipient")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_mail_outbox_due" ON "mail_outbox" ("status", "next_attempt_at")`,
    );
    await queryRunner.query(`CREATE TABLE "user_tokens" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "user_id" uuid NOT NULL,
      "purpose" character varying(32) NOT NULL,
      "token_hash" character(64) NOT NULL,
      "email" character varying(320) NOT NULL,
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "used_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_user_tokens_purpose" CHECK ("purpose" IN ('verify_email', 'reset_password')),
      CONSTRAINT "PK_63764db9d9aaa4af33e07b2f4bf" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE INDEX "ix_user_tokens_user" ON "user_tokens" ("user_id", "purpose")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_user_tokens_hash" ON "user_tokens" ("token_hash")`,
    );
    await queryRunner.query(`CREATE TABLE "login_attempts" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "user_id" uuid,
      "email" character varying(320) NOT NULL,
      "success" boolean NOT NULL,
      "reason" character varying(32) NOT NULL,
      "method" character varying(16) NOT NULL DEFAULT 'password',
      "ip" character varying(64) NOT NULL,
      "user_agent" character varying(512),
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_070e613c8f768b1a70742705c5b" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE INDEX "ix_login_attempts_user" ON "login_attempts" ("user_id", "created_at")`,
    );
    await queryRunner.query(
      `ALTER TABLE "mfa_factors" ADD CONSTRAINT "fk_mfa_factors_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "mfa_recovery_codes" ADD CONSTRAINT "fk_mfa_recovery_codes_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "oauth_accounts" ADD CONSTRAINT "fk_oauth_accounts_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "user_tokens" ADD CONSTRAINT "fk_user_tokens_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "login_attempts" ADD CONSTRAINT "fk_login_attempts_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "login_attempts" DROP CONSTRAINT "fk_login_attempts_user"`,
    );
    await queryRunner.query(`ALTER TABLE "user_tokens" DROP CONSTRAINT "fk_user_tokens_user"`);
    await queryRunner.query(
      `ALTER TABLE "oauth_accounts" DROP CONSTRAINT "fk_oauth_accounts_user"`,
    );
    await queryRunner.query(
      `ALTER TABLE "mfa_recovery_codes" DROP CONSTRAINT "fk_mfa_recovery_codes_user"`,
    );
    await queryRunner.query(`ALTER TABLE "mfa_factors" DROP CONSTRAINT "fk_mfa_factors_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_login_attempts_user"`);
    await queryRunner.query(`DROP TABLE "login_attempts"`);
    await queryRunner.query(`DROP INDEX "public"."uq_user_tokens_hash"`);
    await queryRunner.query(`DROP INDEX "public"."ix_user_tokens_user"`);
    await queryRunner.query(`DROP TABLE "user_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."ix_mail_outbox_due"`);
    await queryRunner.query(`DROP INDEX "public"."ix_mail_outbox_recipient"`);
    await queryRunner.query(`DROP TABLE "mail_outbox"`);
    await queryRunner.query(`DROP INDEX "public"."uq_oauth_states_hash"`);
    await queryRunner.query(`DROP TABLE "oauth_states"`);
    await queryRunner.query(`DROP INDEX "public"."uq_oauth_accounts_provider_account"`);
    await queryRunner.query(`DROP INDEX "public"."ix_oauth_accounts_user"`);
    await queryRunner.query(`DROP TABLE "oauth_accounts"`);
    await queryRunner.query(`DROP INDEX "public"."uq_mfa_recovery_codes_user_hash"`);
    await queryRunner.query(`DROP TABLE "mfa_recovery_codes"`);
    await queryRunner.query(`DROP TABLE "mfa_factors"`);
  }
}
