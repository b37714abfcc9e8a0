import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger's own order: entries booked in one transaction (a purchase and the debt it pays)
 * share `created_at`, so a wallet's history is ordered by a sequence instead. Existing entries
 * are numbered in the order they were written before the sequence takes over.
 */
export class LedgerOrder1795500200000 implements MigrationInterface {
  name = 'LedgerOrder1795500200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_wallet_transactions_organization"`);
    await queryRunner.query(`ALTER TABLE "wallet_transactions" ADD "seq" bigint`);
    await queryRunner.query(
      `UPDATE "wallet_transactions" t SET "seq" = n.seq
       FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS seq FROM "wallet_transactions") n
       WHERE n.id = t.id`,
    );
    await queryRunner.query(`ALTER TABLE "wallet_transactions" ALTER COLUMN "seq" SET NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "wallet_transactions" ALTER COLUMN "seq" ADD GENERATED ALWAYS AS IDENTITY`,
    );
    await queryRunner.query(
      `SELECT setval(pg_get_serial_sequence('wallet_transactions', 'seq'), coalesce(max("seq"), 0) + 1, false)
       FROM "wallet_transactions"`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_wallet_transactions_organization_seq" ON "wallet_transactions" ("organization_id", "seq")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_wallet_transactions_organization_seq"`);
    await queryRunner.query(`ALTER TABLE "wallet_transactions" DROP COLUMN "seq"`);
    await queryRunner.query(
      `CREATE INDEX "ix_wallet_transactions_organization" ON "wallet_transactions" ("organization_id", "created_at")`,
    );
  }
}
