import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AuditActorType, AuditChanges, AuditEntityType } from '../audit.types.js';

/** Append-only: rows are inserted by AuditService and never updated. */
@Entity('audit_logs')
@Index('ix_audit_logs_entity', ['entityType', 'entityId', 'createdAt'])
@Index('ix_audit_logs_actor', ['actorType', 'actorId', 'createdAt'])
export class AuditLog {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
