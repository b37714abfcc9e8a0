import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AuditActorType, AuditChanges, AuditEntityType } from '../audit.types.js';

/**
 * Append-only and tamper-evident: rows are inserted by AuditService and never updated; each one
 * stores `hash = SHA-256(previousHash + canonical JSON of the entry)`, in `sequence` order.
 */
@Entity('audit_logs')
@Index('ix_audit_logs_entity', ['entityType', 'entityId', 'createdAt'])
@Index('ix_audit_logs_actor', ['actorType', 'actorId', 'createdAt'])
@Index('uq_audit_logs_sequence', ['sequence'], { unique: true })
export class AuditLog {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The entry's place in the chain: 1, 2, 3… with no gaps until retention prunes. */
  @Column({ type: 'bigint' })
  sequence!: string;

  @Column({ type: 'varchar', length: 32 })
  entityType!: AuditEntityType;

  @Column({ type: 'varchar', length: 255 })
  entityId!: string;

  @Column({ type: 'varchar', length: 32 })
  action!: string;

  @Column({ type: 'varchar', length: 16 })
  actorType!: AuditActorType;

  @Column({ type: 'varchar', length: 255, nullable: true })
  actorId!: string | null;

  @Column({ type: 'jsonb' })
  changes!: AuditChanges;

  @Column({ type: 'jsonb' })
  metadata!: Record<string, unknown>;

  /** Set by the application (not the database), so the hashed timestamp is the stored one. */
  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'char', length: 64 })
  previousHash!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;
}
