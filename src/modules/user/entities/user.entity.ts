import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { PlatformRole } from '../../../common/auth/principal.js';

export type UserStatus = 'active' | 'suspended';

@Entity('users')
@Index('uq_users_email', ['email'], { unique: true })
// Case-insensitive uniqueness: an expression index the migration creates; TypeORM cannot model it.
@Index('uq_users_username_lower', { synchronize: false })
@Check('ck_users_role', `"role" IN ('user', 'admin')`)
@Check('ck_users_status', `"status" IN ('active', 'suspended')`)
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Stored lower-cased and trimmed, so the unique index is case-insensitive. */
  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ type: 'boolean', default: false })
  emailVerified!: boolean;

  /** argon2id PHC string; null for accounts that only sign in through OAuth. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  passwordHash!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  username!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  fullName!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  bio!: string | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  avatarUrl!: string | null;

  /** Free-form client settings (at most 16 KiB); null until first saved. */
  @Column({ type: 'jsonb', nullable: true })
  preferences!: Record<string, unknown> | null;

  @Column({ type: 'varchar', length: 16, default: 'user' })
  role!: PlatformRole;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: UserStatus;

  @Column({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
