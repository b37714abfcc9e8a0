import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';

export type LoginOutcome =
  | 'success'
  | 'invalid_credentials'
  | 'mfa_required'
  | 'invalid_mfa_code'
  | 'account_suspended'
  | 'rate_limited';

/** Login history: every attempt, successful or not. `userId` is null when the email is unknown. */
@Entity('login_attempts')
@Index('ix_login_attempts_user', ['userId', 'createdAt'])
export class LoginAttempt {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', nullable: true })
  @ForeignKey('User', 'id', { name: 'fk_login_attempts_user', onDelete: 'CASCADE' })
  userId!: string | null;

  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ type: 'boolean' })
  success!: boolean;

  @Column({ type: 'varchar', length: 32 })
  reason!: LoginOutcome;

  @Column({ type: 'varchar', length: 16, default: 'password' })
  method!: string;

  @Column({ type: 'varchar', length: 64 })
  ip!: string;

  @Column({ type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
