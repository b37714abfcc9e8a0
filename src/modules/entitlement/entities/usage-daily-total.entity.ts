import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';

/** Usage statistics: one row per organization, feature, model and UTC day. */
@Entity('usage_daily_totals')
export class UsageDailyTotal {
  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey('Organization', 'id', {
    name: 'fk_usage_daily_totals_organization',
    onDelete: 'CASCADE',
  })
  organizationId!: string;

  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  featureKey!: string;

  /** '' when the usage named no model, so that the key stays a plain primary key. */
  @PrimaryColumn({ type: 'varchar', length: 100, default: '' })
  model!: string;

  @Column({ type: 'bigint', default: 0 })
  quantity!: string;

  @Column({ type: 'integer', default: 0 })
  events!: number;
}
