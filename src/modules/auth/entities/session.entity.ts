import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import type { RevocationReason } from './refresh-token.entity.js';

/**
 * One login: the refresh token family and every access token issued for it (their `sid`).
 * Revoking the row ends them all at once, on every replica, because each bearer request and
 * each rotation reads it. `expires_at` follows the newest refresh token, for retention.
 */
@Entity('sessions')
@Index('ix_sessions_user', ['userId'])
export class AuthSession {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey('User', 'id', { name: 'fk_sessions_user', onDelete: 'CASCADE' })
  userId!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  revokedReason!: RevocationReason | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
