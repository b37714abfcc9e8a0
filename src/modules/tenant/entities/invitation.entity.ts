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

/** An invitation to join an organization; the mailed token is stored only as its SHA-256. */
@Entity('invitations')
@Index('uq_invitations_hash', ['tokenHash'], { unique: true })
// At most one pending invitation per address and organization: re-inviting replaces it.
@Index('uq_invitations_pending', ['organizationId', 'email'], {
  unique: true,
  where: '"accepted_at" IS NULL AND "revoked_at" IS NULL',
})
@Check('ck_invitations_role', `"role" IN ('owner', 'admin', 'billing', 'member')`)
export class Invitation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey('Organization', 'id', { name: 'fk_invitations_organization', onDelete: 'CASCADE' })
  organizationId!: string;

  /** Lower-cased. */
  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: MemberRole;

  @Column({ type: 'char', length: 64 })
  tokenHash!: string;

  @Column({ type: 'uuid', nullable: true })
  @ForeignKey('User', 'id', { name: 'fk_invitations_invited_by', onDelete: 'SET NULL' })
  invitedBy!: string | null;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
