import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Room for sealed TOTP secrets (`v1.<key id>.<iv|tag|data>`). The service seals the existing
 * plaintext ones at its next boot (MfaSecrets): sealing needs DATA_ENCRYPTION_KEY, which a
 * migration run from the CLI does not have.
 */
export class SealedTotpSecrets1795500500000 implements MigrationInterface {
  name = 'SealedTotpSecrets1795500500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mfa_factors" ALTER COLUMN "secret" TYPE varchar(255)`);
  }

  /** Only while no secret is sealed: the plaintext is something only the service can produce. */
  async down(queryRunner: QueryRunner): Promise<void> {
    const sealed = (await queryRunner.query(
      `SELECT 1 FROM "mfa_factors" WHERE "secret" LIKE 'v1.%'`,
    )) as unknown[];
    if (sealed.length) {
      throw new Error('Sealed TOTP secrets cannot be unsealed by a migration; disable MFA first');
    }
    await queryRunner.query(`ALTER TABLE "mfa_factors" ALTER COLUMN "secret" TYPE varchar(64)`);
  }
}
