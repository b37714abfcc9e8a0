import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Credit charges and reservations, idempotency keys, usage metering and low-balance alerts. */
export class WalletUsageEntitlements1795420926365 implements MigrationInterface {
  name = 'WalletUsageEntitlements1795420926365';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "idempotency_keys" (
      "organization_id" uuid NOT NULL,
      "key" character varying(255) NOT NULL,
      "request_hash" character(64) NOT NULL,
      "status_code" integer NOT NULL,
      "response" jsonb NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_fa1b697098c138245abc15cad73" PRIMARY KEY ("organization_id", "key"))`);
    await queryRunner.query(`CREATE TABLE "usage_counters" (
      "organization_id" uuid NOT NULL,
      "feature_key" character varying(64) NOT NULL,
      "period_start" TIMESTAMP WITH TIME ZONE NOT NULL,
      "used" bigint NOT NULL DEFAULT '0',
      CONSTRAINT "PK_3aca5919783ec9e1007a0cf2945" PRIMARY KEY ("organization_id", "feature_key", "period_start"))`);
    await queryRunner.query(`CREATE TABLE "usage_daily_totals" (
      "organization_id" uuid NOT NULL,
      "day" date NOT NULL,
      "feature_key" character varying(64) NOT NULL,
      "model" character varying(100) NOT NULL DEFAULT '',
      "quantity" bigint NOT NULL DEFAULT '0',
      "events" integer NOT NULL DEFAULT '0',
      CONSTRAINT "PK_2f5e8fd27cdf4d9fde2250eb042" PRIMARY KEY ("organization_id", "day", "feature_key", "model"))`);
    await queryRunner.query(`CREATE TABLE "credit_reservations" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "organization_id" uuid NOT NULL,
      "idempotency_key" character varying(255) NOT NULL,
      "feature_key" character varying(64) NOT NULL,
      "amount" bigint NOT NULL,
      "status" character varying(16) NOT NULL DEFAULT 'held',
      "description" character varying(500),
      "charged" bigint,
      "transaction_id" uuid,
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "closed_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_credit_reservations_amount" CHECK ("amount" > 0),
      CONSTRAINT "ck_credit_reservations_status" CHECK ("status" IN ('held', 'finalized', 'released', 'expired')),
      CONSTRAINT "PK_b05e2b7003c9b9a8df70bca1a35" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE INDEX "ix_credit_reservations_expiry" ON "credit_reservations"("status", "expires_at")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_credit_reservations_key" ON "credit_reservations"("organization_id", "idempotency_key")`,
    );
    await queryRunner.query(
      `ALTER TABLE "wallets" ADD "low_balance_alerted" boolean NOT NULL DEFAULT false`,
    );
    await queryRunner.query(
      `ALTER TABLE "idempotency_keys" ADD CONSTRAINT "fk_idempotency_keys_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "usage_counters" ADD CONSTRAINT "fk_usage_counters_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "usage_daily_totals" ADD CONSTRAINT "fk_usage_daily_totals_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "credit_reservations" ADD CONSTRAINT "fk_credit_reservations_wallet" FOREIGN KEY ("organization_id") REFERENCES "wallets"("organization_id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "credit_reservations" DROP CONSTRAINT "fk_credit_reservations_wallet"`,
    );
    await queryRunner.query(
      `ALTER TABLE "usage_daily_totals" DROP CONSTRAINT "fk_usage_daily_totals_organization"`,
    );
    await queryRunner.query(
      `ALTER TABLE "usage_counters" DROP CONSTRAINT "fk_usage_counters_organization"`,
    );
    await queryRunner.query(
      `ALTER TABLE "idempotency_keys" DROP CONSTRAINT "fk_idempotency_keys_organization"`,
    );
    await queryRunner.query(`ALTER TABLE "wallets" DROP COLUMN "low_balance_alerted"`);
    await queryRunner.query(`DROP INDEX "public"."uq_credit_reservations_key"`);
    await queryRunner.query(`DROP INDEX "public"."ix_credit_reservations_expiry"`);
    await queryRunner.query(`DROP TABLE "credit_reservations"`);
    await queryRunner.query(`DROP TABLE "usage_daily_totals"`);
    await queryRunner.query(`DROP TABLE "usage_counters"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
  }
}
