import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';

/**
 * Usage of a limited feature in one quota period. Checking the limit and counting happen in one
 * conditional upsert on this row (UsageRepository.countWithinLimit).
 */
@Entity('usage_counters')
export class UsageCounter {
  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey('Organization', 'id', { name: 'fk_usage_counters_organization', onDelete: 'CASCADE' })
  organizationId!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  featureKey!: string;

  @PrimaryColumn({ type: 'timestamptz' })
  periodStart!: Date;

  @Column({ type: 'bigint', default: 0 })
  used!: string;
}
