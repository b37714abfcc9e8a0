import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditRepository } from './audit.repository.js';
import type { AuditEntry } from './audit.types.js';

@Injectable()
export class AuditService {
  constructor(private readonly auditLogs: AuditRepository) {}

  /**
   * Writes an audit row inside the caller's transaction, so the record exists exactly when the
   * change it describes commits.
   */
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await this.auditLogs.insert(manager, {
      entityType: entry.entityType,
      entityId: entry.entityId,
      action: entry.action,
      actorType: entry.actor.type,
      actorId: entry.actor.id,
      changes: entry.changes ?? {},
      metadata: entry.metadata ?? {},
    });
  }
}
