import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The Stripe event inbox: every delivery stored by event id before it is applied. */
export class StripeEventInbox1795415131937 implements MigrationInterface {
  name = 'StripeEventInbox1795415131937';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "stripe_events" (
      "id" character varying(255) NOT NULL,
      "type" character varying(100) NOT NULL,
      "payload" jsonb NOT NULL,
      "stripe_created" bigint NOT NULL,
      "status" character varying(16) NOT NULL DEFAULT 'received',
      "attempts" integer NOT NULL DEFAULT '0',
      "last_error" character varying(2000),
      "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "processed_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "ck_stripe_events_status" CHECK ("status" IN ('received', 'processed', 'failed', 'ignored')),
      CONSTRAINT "PK_d3247bd5fc3f66b6982bbcdd897" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE INDEX "ix_stripe_events_status" ON "stripe_events" ("status", "received_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_stripe_events_status"`);
    await queryRunner.query(`DROP TABLE "stripe_events"`);
  }
}
