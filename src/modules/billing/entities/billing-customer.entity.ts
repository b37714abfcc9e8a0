import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';

/** The Stripe customer of an organization: one each, made on first need. */
@Entity('billing_customers')
@Index('uq_billing_customers_stripe', ['stripeCustomerId'], { unique: true })
export class BillingCustomer {
  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey('Organization', 'id', {
    name: 'fk_billing_customers_organization',
    onDelete: 'CASCADE',
  })
  organizationId!: string;

  @Column({ type: 'varchar', length: 255 })
  stripeCustomerId!: string;

  /** What Stripe has as the customer's email and name, to update it only when they change. */
  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  name!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
