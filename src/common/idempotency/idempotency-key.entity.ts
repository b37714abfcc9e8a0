import { Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn } from 'typeorm';

/**
 * A client's `Idempotency-Key`, per organization, with a hash of the request it came with and
 * the answer it got, so that a retry gets the same answer and moves nothing. Kept at least 24
 * hours (the retention job removes older ones).
 */
@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey('Organization', 'id', {
    name: 'fk_idempotency_keys_organization',
    onDelete: 'CASCADE',
  })
  organizationId!: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  key!: string;

  /** SHA-256 of the route and the canonical request body. */
  @Column({ type: 'char', length: 64 })
  requestHash!: string;

  @Column({ type: 'integer' })
  statusCode!: number;

  @Column({ type: 'jsonb' })
  response!: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
