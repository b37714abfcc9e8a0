import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { OAuthProviderName } from '../oauth/oauth-provider.js';

/** A provider identity linked to a user; a later login finds the user by the provider's account id. */
@Entity('oauth_accounts')
@Index('uq_oauth_accounts_provider_account', ['provider', 'providerAccountId'], { unique: true })
@Index('ix_oauth_accounts_user', ['userId'])
@Check('ck_oauth_accounts_provider', `"provider" IN ('github', 'google')`)
export class OAuthAccount {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  provider!: OAuthProviderName;

  @Column({ type: 'varchar', length: 255 })
  providerAccountId!: string;

  @Column({ type: 'uuid' })
  @ForeignKey('User', 'id', { name: 'fk_oauth_accounts_user', onDelete: 'CASCADE' })
  userId!: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
