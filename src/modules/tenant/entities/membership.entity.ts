import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { MemberRole } from '../tenant.types.js';

@Entity('memberships')
@Index('uq_memberships_org_user', ['organizationId', 'userId'], { unique: true })
@Index('ix_memberships_user', ['userId'])
@Check('ck_memberships_role', `"role" IN ('owner', 'admin', 'billing', 'member')`)
export class Membership {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey('Organization', 'id', { name: 'fk_memberships_organization', onDelete: 'CASCADE' })
  organizationId!: string;

  /** A user module row, referenced by id only (module boundary). */
  @Column({ type: 'uuid' })
  @ForeignKey('User', 'id', { name: 'fk_memberships_user', onDelete: 'CASCADE' })
  userId!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: MemberRole;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
