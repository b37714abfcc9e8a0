import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One authorization request in flight: the `state` (stored hashed) ties the callback to it, and
 * the PKCE verifier proves to the provider that the code is redeemed by whoever asked for it.
 */
@Entity('oauth_states')
@Index('uq_oauth_states_hash', ['stateHash'], { unique: true })
export class OAuthState {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'char', length: 64 })
  stateHash!: string;

  @Column({ type: 'varchar', length: 16 })
  provider!: string;

  @Column({ type: 'varchar', length: 128 })
  codeVerifier!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
