import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One price of a tier for sale, per billing cycle and region (from config/catalog.json). */
@Entity('catalog_prices')
export class CatalogPrice {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  productKey!: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  tier!: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  billingCycle!: string;

  @PrimaryColumn({ type: 'varchar', length: 2 })
  region!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  /** Integer minor units. */
  @Column({ type: 'integer' })
  unitAmount!: number;

  @Column({ type: 'varchar', length: 255, nullable: true })
  stripePriceId!: string | null;

  @Column({ type: 'integer', nullable: true })
  trialDays!: number | null;
}
