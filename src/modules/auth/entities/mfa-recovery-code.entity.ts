import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';

/** One single-use recovery code, stored as a SHA-256 hash (each code carries 50 random bits). */
@Entity('mfa_recovery_codes')
@Index('uq_mfa_recovery_codes_user_hash', ['userId', 'codeHash'], { unique: true })
export class MfaRecoveryCode {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey('User', 'id', { name: 'fk_mfa_recovery_codes_user', onDelete: 'CASCADE' })
  userId!: string;

  @Column({ type: 'char', length: 64 })
  codeHash!: string;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
