import { Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn } from 'typeorm';

/**
 * A user's TOTP factor. Set up first (enabledAt null), enabled once a code proves the
 * authenticator works. `lastTimeStep` is the last accepted time step: a code is accepted once.
 */
@Entity('mfa_factors')
export class MfaFactor {
  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey('User', 'id', { name: 'fk_mfa_factors_user', onDelete: 'CASCADE' })
  userId!: string;

  /** The base32 TOTP secret, sealed by the DataCipher (`v1.<key id>.…`); see MfaSecrets. */
  @Column({ type: 'varchar', length: 255 })
  secret!: string;

  @Column({ type: 'timestamptz', nullable: true })
  enabledAt!: Date | null;

  @Column({ type: 'bigint', nullable: true })
  lastTimeStep!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
