import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credits never lost nor kept wrongly: a wallet's `debt` (credits that left after they were
 * spent or held) and `frozen` (credits under an open dispute), within the balance with what is
 * held; a purchase's dispute and the credits it froze; `processing` purchases (an asynchronous
 * payment on its way); and the balance a reservation's finalize left, so a repeat answers alike.
 */
export class WalletDebtAndDisputes1795500100000 implements MigrationInterface {
  name = 'WalletDebtAndDisputes1795500100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "wallets" ADD "debt" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "wallets" ADD "frozen" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `ALTER TABLE "wallets" ADD CONSTRAINT "ck_wallets_debt_non_negative" CHECK ("debt" >= 0)`,
    );
    await queryRunner.query(
      `ALTER TABLE "wallets" DROP CONSTRAINT "ck_wallets_held_within_balance"`,
    );
    await queryRunner.query(
      `ALTER TABLE "wallets" ADD CONSTRAINT "ck_wallets_held_within_balance" CHECK ("held" >= 0 AND "frozen" >= 0 AND "held" + "frozen" <= "balance")`,
    );
    await queryRunner.query(
      `ALTER TABLE "purchases" ADD "stripe_dispute_id" character varying(255)`,
    );
    await queryRunner.query(`ALTER TABLE "purchases" ADD "dispute_status" character varying(8)`);
    await queryRunner.query(
      `ALTER TABLE "purchases" ADD "frozen_credits" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "purchases" ADD CONSTRAINT "ck_purchases_dispute_status" CHECK ("dispute_status" IN ('open', 'won', 'lost'))`,
    );
    await queryRunner.query(`ALTER TABLE "purchases" DROP CONSTRAINT "ck_purchases_status"`);
    await queryRunner.query(
      `ALTER TABLE "purchases" ADD CONSTRAINT "ck_purchases_status" CHECK ("status" IN ('pending', 'processing', 'paid', 'expired', 'failed', 'refunded'))`,
    );
    await queryRunner.query(`ALTER TABLE "credit_reservations" ADD "balance_after" bigint`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "credit_reservations" DROP COLUMN "balance_after"`);
    await queryRunner.query(
      `UPDATE "purchases" SET "status" = 'pending' WHERE "status" = 'processing'`,
    );
    await queryRunner.query(`ALTER TABLE "purchases" DROP CONSTRAINT "ck_purchases_status"`);
    await queryRunner.query(
      `ALTER TABLE "purchases" ADD CONSTRAINT "ck_purchases_status" CHECK ("status" IN ('pending', 'paid', 'expired', 'failed', 'refunded'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "purchases" DROP CONSTRAINT "ck_purchases_dispute_status"`,
    );
    await queryRunner.query(`ALTER TABLE "purchases" DROP COLUMN "frozen_credits"`);
    await queryRunner.query(`ALTER TABLE "purchases" DROP COLUMN "dispute_status"`);
    await queryRunner.query(`ALTER TABLE "purchases" DROP COLUMN "stripe_dispute_id"`);
    await queryRunner.query(
      `ALTER TABLE "wallets" DROP CONSTRAINT "ck_wallets_held_within_balance"`,
    );
    await queryRunner.query(
      `ALTER TABLE "wallets" ADD CONSTRAINT "ck_wallets_held_within_balance" CHECK ("held" >= 0 AND "held" <= "balance")`,
    );
    await queryRunner.query(`ALTER TABLE "wallets" DROP CONSTRAINT "ck_wallets_debt_non_negative"`);
    await queryRunner.query(`ALTER TABLE "wallets" DROP COLUMN "frozen"`);
    await queryRunner.query(`ALTER TABLE "wallets" DROP COLUMN "debt"`);
  }
}
