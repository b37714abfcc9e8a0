import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What Stripe has as each customer's email and name, so they are updated only when they change. */
export class BillingCustomerContact1795414755290 implements MigrationInterface {
  name = 'BillingCustomerContact1795414755290';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "billing_customers" ADD "email" character varying(320)`);
    await queryRunner.query(`ALTER TABLE "billing_customers" ADD "name" character varying(100)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "billing_customers" DROP COLUMN "name"`);
    await queryRunner.query(`ALTER TABLE "billing_customers" DROP COLUMN "email"`);
  }
}
