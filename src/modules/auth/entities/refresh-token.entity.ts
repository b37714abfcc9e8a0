import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';

export type RevocationReason =
  | 'rotated'
  | 'logout'
  | 'logout_all'
  | 'reuse_detected'
  | 'credentials_changed'
  | 'account_suspended'
  | 'account_deleted';

/**
 * One refresh token; only its SHA-256 is stored. Tokens issued by rotation share the family of
 * the login that started it, so a replayed token can revoke everything descended from it.
 */
@Entity('refresh_tokens')
@Index('uq_refresh_tokens_hash', ['tokenHash'], { unique: true })
@Index('ix_refresh_tokens_family', ['familyId'])
@Index('ix_refresh_tokens_user', ['userId'])
@Check(
  'ck_refresh_tokens_revoked_reason',
  `"revoked_reason" IS NULL OR "revoked_reason" IN ('rotated', 'logout', 'logout_all', 'reuse_detected', 'credentials_changed', 'account_suspended', 'account_deleted')`,
)
export class RefreshToken {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey('User', 'id', { name: 'fk_refresh_tokens_user', onDelete: 'CASCADE' })
  userId!: string;

  /** The session (`sessions.id`) the token belongs to. */
  @Column({ type: 'uuid' })
  @ForeignKey('AuthSession', 'id', { name: 'fk_refresh_tokens_session', onDelete: 'CASCADE' })
  familyId!: string;

  @Column({ type: 'char', length: 64 })
  tokenHash!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  revokedReason!: RevocationReason | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
