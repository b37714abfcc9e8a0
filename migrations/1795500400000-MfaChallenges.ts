import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A sign-in's MFA challenge is a single-use user token of its own purpose. */
export class MfaChallenges1795500400000 implements MigrationInterface {
  name = 'MfaChallenges1795500400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "user_tokens" DROP CONSTRAINT "ck_user_tokens_purpose"`);
    await queryRunner.query(
      `ALTER TABLE "user_tokens" ADD CONSTRAINT "ck_user_tokens_purpose"
         CHECK ("purpose" IN ('verify_email', 'reset_password', 'mfa_challenge'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "user_tokens" WHERE "purpose" = 'mfa_challenge'`);
    await queryRunner.query(`ALTER TABLE "user_tokens" DROP CONSTRAINT "ck_user_tokens_purpose"`);
    await queryRunner.query(
      `ALTER TABLE "user_tokens" ADD CONSTRAINT "ck_user_tokens_purpose"
         CHECK ("purpose" IN ('verify_email', 'reset_password'))`,
    );
  }
}
