import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';

export type UserTokenPurpose = 'verify_email' | 'reset_password' | 'mfa_challenge';

/**
 * Single-use tokens: email verification, password reset and the MFA challenge of a sign-in whose
 * first factor passed. Only the SHA-256 is stored.
 */
@Entity('user_tokens')
@Index('uq_user_tokens_hash', ['tokenHash'], { unique: true })
@Index('ix_user_tokens_user', ['userId', 'purpose'])
@Check('ck_user_tokens_purpose', `"purpose" IN ('verify_email', 'reset_password', 'mfa_challenge')`)
export class UserToken {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey('User', 'id', { name: 'fk_user_tokens_user', onDelete: 'CASCADE' })
  userId!: string;

  @Column({ type: 'varchar', length: 32 })
  purpose!: UserTokenPurpose;

  @Column({ type: 'char', length: 64 })
  tokenHash!: string;

  /** The address the token was mailed to: verifying it verifies exactly that address. */
  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
