import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { AuditLog } from './entities/audit-log.entity.js';

export type NewAuditLog = Omit<AuditLog, 'id' | 'createdAt'>;

@Injectable()
export class AuditRepository {
  async insert(manager: EntityManager, row: NewAuditLog): Promise<void> {
    // jsonb columns: TypeORM's deep-partial typing does not fit free-form objects.
    await manager.getRepository(AuditLog).insert(row as QueryDeepPartialEntity<AuditLog>);
  }
}
