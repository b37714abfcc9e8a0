import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What a refund of a credit purchase took back, and when a failed Stripe event is retried. */

export class RefundsAndWebhookRetries1795418062585 implements MigrationInterface {
  name = 'RefundsAndWebhookRetries1795418062585';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "purchases" ADD "refunded_amount" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "purchases" ADD "refunded_credits" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "stripe_events" ADD "next_attempt_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_stripe_events_retry" ON "stripe_events"  ("status", "next_attempt_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_stripe_events_retry"`);
    await queryRunner.query(`ALTER TABLE "stripe_events" DROP COLUMN "next_attempt_at"`);
    await queryRunner.query(`ALTER TABLE "purchases" DROP COLUMN "refunded_credits"`);
    await queryRunner.query(`ALTER TABLE "purchases" DROP COLUMN "refunded_amount"`);
  }
}
