import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The catalog as data: tier prices per cycle and region, credit pack prices, and entitlements
 * per level (upserted from config/catalog.json at boot).
 */
export class Catalog1795412362407 implements MigrationInterface {
  name = 'Catalog1795412362407';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "catalog_prices" (
      "product_key" character varying(32) NOT NULL,
      "tier" character varying(32) NOT NULL,
      "billing_cycle" character varying(16) NOT NULL,
      "region" character varying(2) NOT NULL,
      "currency" character(3) NOT NULL,
      "unit_amount" integer NOT NULL,
      "stripe_price_id" character varying(255),
      "trial_days" integer,
      CONSTRAINT "PK_56343a17faa1bbcd2dc3a680ffd" PRIMARY KEY ("product_key", "tier", "billing_cycle", "region"))`);
    await queryRunner.query(`CREATE TABLE "credit_pack_prices" (
      "pack_key" character varying(32) NOT NULL,
      "region" character varying(2) NOT NULL,
      "currency" character(3) NOT NULL,
      "credits" integer NOT NULL,
      "bonus_credits" integer NOT NULL,
      "unit_amount" integer NOT NULL,
      "stripe_price_id" character varying(255),
      CONSTRAINT "PK_e0457248e5ab3bc18dd5af9908b" PRIMARY KEY ("pack_key", "region"))`);
    await queryRunner.query(`CREATE TABLE "entitlements" (
      "level_key" character varying(32) NOT NULL,
      "feature_key" character varying(64) NOT NULL,
      "kind" character varying(16) NOT NULL,
      "is_enabled" boolean NOT NULL,
      "limit" bigint,
      "period" character varying(16),
      "unit" character varying(32),
      CONSTRAINT "PK_956ed7fd01e5b24ed70f9fd07a9" PRIMARY KEY ("level_key", "feature_key"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "entitlements"`);
    await queryRunner.query(`DROP TABLE "credit_pack_prices"`);
    await queryRunner.query(`DROP TABLE "catalog_prices"`);
  }
}
