import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Region } from '../tenant.types.js';

@Entity('organizations')
@Index('uq_organizations_slug', ['slug'], { unique: true })
@Check('ck_organizations_region', `"region" IN ('US', 'CA', 'EU', 'GB', 'AU')`)
export class Organization {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 120 })
  slug!: string;

  @Column({ type: 'varchar', length: 2, default: 'US' })
  region!: Region;

  /** Deleted organizations keep their rows (money history refers to them) but vanish from the API. */
  @Column({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
