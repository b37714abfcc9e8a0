import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The wallet: one per organization, its balance kept at or above zero by the database, and the
 * append-only ledger with a unique reference per organization.
 */
export class Wallet1795414652404 implements MigrationInterface {
  name = 'Wallet1795414652404';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "wallets" (
      "organization_id" uuid NOT NULL,
      "balance" bigint NOT NULL DEFAULT '0',
      "held" bigint NOT NULL DEFAULT '0',
      "low_balance_threshold" bigint,
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_wallets_held_within_balance" CHECK ("held" >= 0 AND "held" <= "balance"),
      CONSTRAINT "ck_wallets_balance_non_negative" CHECK ("balance" >= 0),
      CONSTRAINT "PK_f499c61c6d6a0ac3f794d966edc" PRIMARY KEY ("organization_id"))`);
    await queryRunner.query(`CREATE TABLE "wallet_transactions" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "organization_id" uuid NOT NULL,
      "type" character varying(16) NOT NULL,
      "amount" bigint NOT NULL,
      "balance_after" bigint NOT NULL,
      "reference" character varying(255) NOT NULL,
      "description" character varying(500),
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_wallet_transactions_type" CHECK ("type" IN ('purchase', 'usage', 'refund', 'grant', 'adjustment')),
      CONSTRAINT "PK_5120f131bde2cda940ec1a621db" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE INDEX "ix_wallet_transactions_organization" ON "wallet_transactions" ("organization_id", "created_at")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_wallet_transactions_reference" ON "wallet_transactions" ("organization_id", "reference")`,
    );
    await queryRunner.query(
      `ALTER TABLE "wallets" ADD CONSTRAINT "fk_wallets_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "wallet_transactions" ADD CONSTRAINT "fk_wallet_transactions_wallet" FOREIGN KEY ("organization_id") REFERENCES "wallets"("organization_id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "wallet_transactions" DROP CONSTRAINT "fk_wallet_transactions_wallet"`,
    );
    await queryRunner.query(`ALTER TABLE "wallets" DROP CONSTRAINT "fk_wallets_organization"`);
    await queryRunner.query(`DROP INDEX "public"."uq_wallet_transactions_reference"`);
    await queryRunner.query(`DROP INDEX "public"."ix_wallet_transactions_organization"`);
    await queryRunner.query(`DROP TABLE "wallet_transactions"`);
    await queryRunner.query(`DROP TABLE "wallets"`);
  }
}
