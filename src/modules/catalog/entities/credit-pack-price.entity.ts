import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A credit pack's contents and price in one region (from config/catalog.json). */
@Entity('credit_pack_prices')
export class CreditPackPrice {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  packKey!: string;

  @PrimaryColumn({ type: 'varchar', length: 2 })
  region!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'integer' })
  credits!: number;

  @Column({ type: 'integer' })
  bonusCredits!: number;

  /** Integer minor units. */
  @Column({ type: 'integer' })
  unitAmount!: number;

  @Column({ type: 'varchar', length: 255, nullable: true })
  stripePriceId!: string | null;
}
