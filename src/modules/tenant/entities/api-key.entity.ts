import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { ApiKeyScope } from '../../../common/auth/principal.js';

/** An organization's API key: shown once, kept as a SHA-256 with a visible prefix. */
@Entity('api_keys')
@Index('uq_api_keys_hash', ['keyHash'], { unique: true })
@Index('ix_api_keys_organization', ['organizationId'])
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey('Organization', 'id', { name: 'fk_api_keys_organization', onDelete: 'CASCADE' })
  organizationId!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** The first characters of the key, so people can tell keys apart. */
  @Column({ type: 'varchar', length: 16 })
  prefix!: string;

  @Column({ type: 'char', length: 64 })
  keyHash!: string;

  @Column({ type: 'jsonb' })
  scopes!: ApiKeyScope[];

  @Column({ type: 'uuid', nullable: true })
  @ForeignKey('User', 'id', { name: 'fk_api_keys_created_by', onDelete: 'SET NULL' })
  createdBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
