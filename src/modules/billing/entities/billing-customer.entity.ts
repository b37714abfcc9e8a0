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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
