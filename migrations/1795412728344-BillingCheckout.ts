import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Billing up to checkout: intents with optimistic-lock versions, Stripe customers, credit
 * purchases, and subscriptions as Stripe reports them.
 */
export class BillingCheckout1795412728344 implements MigrationInterface {
  name = 'BillingCheckout1795412728344';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "purchases" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "organization_id" uuid NOT NULL,
      "intent_id" uuid NOT NULL,
      "pack_key" character varying(32) NOT NULL,
      "credits" integer NOT NULL,
      "bonus_credits" integer NOT NULL,
      "unit_amount" integer NOT NULL,
      "currency" character(3) NOT NULL,
      "status" character varying(16) NOT NULL DEFAULT 'pending',
      "stripe_session_id" character varying(255),
      "stripe_payment_intent_id" character varying(255),
      "paid_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_purchases_status" CHECK ("status" IN ('pending', 'paid', 'expired', 'failed', 'refunded')),
      CONSTRAINT "PK_1d55032f37a34c6eceacbbca6b8" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE INDEX "ix_purchases_organization" ON "purchases" ("organization_id", "created_at")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_purchases_intent" ON "purchases" ("intent_id")`,
    );
    await queryRunner.query(`CREATE TABLE "billing_customers" (
      "organization_id" uuid NOT NULL,
      "stripe_customer_id" character varying(255) NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_8152874ad703ef776d8c525b63c" PRIMARY KEY ("organization_id"))`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_billing_customers_stripe" ON "billing_customers" ("stripe_customer_id")`,
    );
    await queryRunner.query(`CREATE TABLE "subscription_intents" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "organization_id" uuid NOT NULL,
      "kind" character varying(16) NOT NULL,
      "tier" character varying(32),
      "billing_cycle" character varying(16),
      "pack_key" character varying(32),
      "region" character varying(2) NOT NULL,
      "currency" character(3) NOT NULL,
      "unit_amount" integer NOT NULL,
      "status" character varying(16) NOT NULL DEFAULT 'pending',
      "stripe_session_id" character varying(255),
      "checkout_url" character varying(2048),
      "stripe_subscription_id" character varying(255),
      "idempotency_key" character varying(255),
      "failure_reason" character varying(255),
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "created_by" uuid,
      "version" integer NOT NULL DEFAULT '1',
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_subscription_intents_status" CHECK ("status" IN ('pending', 'completed', 'failed', 'expired')),
      CONSTRAINT "ck_subscription_intents_kind" CHECK ("kind" IN ('subscription', 'credits')),
      CONSTRAINT "PK_a6613b1d5437a99d6b9ccdc9f30" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE INDEX "ix_subscription_intents_pending" ON "subscription_intents" ("status", "expires_at")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_subscription_intents_session" ON "subscription_intents" ("stripe_session_id") WHERE "stripe_session_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_subscription_intents_idempotency" ON "subscription_intents" ("organization_id", "idempotency_key") WHERE "idempotency_key" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE TABLE "subscriptions" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "organization_id" uuid NOT NULL,
      "stripe_subscription_id" character varying(255) NOT NULL,
      "product_key" character varying(32) NOT NULL,
      "tier" character varying(32) NOT NULL,
      "billing_cycle" character varying(16) NOT NULL,
      "status" character varying(16) NOT NULL,
      "region" character varying(2) NOT NULL,
      "currency" character(3) NOT NULL,
      "current_period_end" TIMESTAMP WITH TIME ZONE,
      "trial_end" TIMESTAMP WITH TIME ZONE,
      "cancel_at_period_end" boolean NOT NULL DEFAULT false,
      "grace_period_end" TIMESTAMP WITH TIME ZONE,
      "pending_change" jsonb,
      "last_event_created" bigint,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_subscriptions_status" CHECK ("status" IN ('trialing', 'active', 'past_due', 'canceled', 'expired')),
      CONSTRAINT "PK_a87248d73155605cf782be9ee5e" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE INDEX "ix_subscriptions_organization" ON "subscriptions" ("organization_id", "status")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_subscriptions_stripe" ON "subscriptions" ("stripe_subscription_id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "purchases" ADD CONSTRAINT "fk_purchases_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "purchases" ADD CONSTRAINT "fk_purchases_intent" FOREIGN KEY ("intent_id") REFERENCES "subscription_intents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing_customers" ADD CONSTRAINT "fk_billing_customers_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "subscription_intents" ADD CONSTRAINT "fk_subscription_intents_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "subscription_intents" ADD CONSTRAINT "fk_subscription_intents_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "subscriptions" ADD CONSTRAINT "fk_subscriptions_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "subscriptions" DROP CONSTRAINT "fk_subscriptions_organization"`,
    );
    await queryRunner.query(
      `ALTER TABLE "subscription_intents" DROP CONSTRAINT "fk_subscription_intents_created_by"`,
    );
    await queryRunner.query(
      `ALTER TABLE "subscription_intents" DROP CONSTRAINT "fk_subscription_intents_organization"`,
    );
    await queryRunner.query(
      `ALTER TABLE "billing_customers" DROP CONSTRAINT "fk_billing_customers_organization"`,
    );
    await queryRunner.query(`ALTER TABLE "purchases" DROP CONSTRAINT "fk_purchases_intent"`);
    await queryRunner.query(`ALTER TABLE "purchases" DROP CONSTRAINT "fk_purchases_organization"`);
    await queryRunner.query(`DROP INDEX "public"."uq_subscriptions_stripe"`);
    await queryRunner.query(`DROP INDEX "public"."ix_subscriptions_organization"`);
    await queryRunner.query(`DROP TABLE "subscriptions"`);
    await queryRunner.query(`DROP INDEX "public"."uq_subscription_intents_idempotency"`);
    await queryRunner.query(`DROP INDEX "public"."uq_subscription_intents_session"`);
    await queryRunner.query(`DROP INDEX "public"."ix_subscription_intents_pending"`);
    await queryRunner.query(`DROP TABLE "subscription_intents"`);
    await queryRunner.query(`DROP INDEX "public"."uq_billing_customers_stripe"`);
    await queryRunner.query(`DROP TABLE "billing_customers"`);
    await queryRunner.query(`DROP INDEX "public"."uq_purchases_intent"`);
    await queryRunner.query(`DROP INDEX "public"."ix_purchases_organization"`);
    await queryRunner.query(`DROP TABLE "purchases"`);
  }
}
