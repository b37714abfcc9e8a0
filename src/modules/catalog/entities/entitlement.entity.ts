import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What a level may do with a feature (DESIGN principle 5: entitlements are data). */
@Entity('entitlements')
export class Entitlement {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  levelKey!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  featureKey!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  @Column({ type: 'boolean' })
  isEnabled!: boolean;

  /** Null means unlimited. */
  @Column({ type: 'bigint', nullable: true })
  limit!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  period!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  unit!: string | null;
}
