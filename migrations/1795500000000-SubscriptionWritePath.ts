import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The one guarded write path of a subscription: when Stripe was last read, what operators must
 * look at, the last failed payment; and at most one pending subscription checkout per
 * organization (older duplicates are expired first, newest kept).
 */
export class SubscriptionWritePath1795500000000 implements MigrationInterface {
  name = 'SubscriptionWritePath1795500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "subscriptions" ADD "synced_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "subscriptions" ADD "flagged_reason" character varying(300)`,
    );
    await queryRunner.query(`ALTER TABLE "subscriptions" ADD "last_payment_failure" jsonb`);
    await queryRunner.query(
      `CREATE INDEX "ix_subscriptions_flagged" ON "subscriptions" ("flagged_reason") WHERE "flagged_reason" IS NOT NULL`,
    );
    await queryRunner.query(
      `UPDATE "subscription_intents" SET "status" = 'expired', "version" = "version" + 1
       WHERE "kind" = 'subscription' AND "status" = 'pending' AND "id" NOT IN (
         SELECT DISTINCT ON ("organization_id") "id" FROM "subscription_intents"
         WHERE "kind" = 'subscription' AND "status" = 'pending'
         ORDER BY "organization_id", "created_at" DESC)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_subscription_intents_one_pending" ON "subscription_intents" ("organization_id") WHERE "kind" = 'subscription' AND "status" = 'pending'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_subscription_intents_one_pending"`);
    await queryRunner.query(`DROP INDEX "public"."ix_subscriptions_flagged"`);
    await queryRunner.query(`ALTER TABLE "subscriptions" DROP COLUMN "last_payment_failure"`);
    await queryRunner.query(`ALTER TABLE "subscriptions" DROP COLUMN "flagged_reason"`);
    await queryRunner.query(`ALTER TABLE "subscriptions" DROP COLUMN "synced_at"`);
  }
}
