import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { queryRecords } from '../../database/query-records.js';
import { chainHash } from './audit-chain.js';
import { AuditChainHead } from './entities/audit-chain-head.entity.js';
import { AuditLog } from './entities/audit-log.entity.js';

export type NewAuditLog = Omit<AuditLog, 'id' | 'createdAt' | 'sequence' | 'previousHash' | 'hash'>;

export interface AuditLogFilter {
  entityType?: string;
  entityId?: string;
  actorType?: string;
  actorId?: string;
  startDate?: Date;
  endDate?: Date;
}

@Injectable()
export class AuditRepository {
  constructor(
    @InjectRepository(AuditLog) private readonly logs: Repository<AuditLog>,
    @InjectRepository(AuditChainHead) private readonly heads: Repository<AuditChainHead>,
  ) {}

  /**
   * Appends an entry to the chain in the caller's transaction. The chain head row is locked
   * first (until that transaction ends), so concurrent writers take turns and each entry links
   * to the one committed before it: the chain never forks.
   */
  async insert(manager: EntityManager, row: NewAuditLog): Promise<void> {
    const [head] = await queryRecords<{ sequence: string; hash: string }>(
      manager,
      'SELECT sequence, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE',
      [],
    );
    const entry = {
      ...row,
      id: randomUUID(),
      sequence: String(Number(head.sequence) + 1),
      createdAt: new Date(),
    };
    const hash = chainHash(head.hash, entry);
    // jsonb columns: TypeORM's deep-partial typing does not fit free-form objects.
    await manager
      .getRepository(AuditLog)
      .insert({ ...entry, previousHash: head.hash, hash } as QueryDeepPartialEntity<AuditLog>);
    await manager
      .getRepository(AuditChainHead)
      .update({ id: 1 }, { sequence: entry.sequence, hash });
  }

  list(
    filter: AuditLogFilter,
    page: { limit: number; offset: number },
  ): Promise<[AuditLog[], number]> {
    const query = this.logs.createQueryBuilder('log');
    if (filter.entityType) query.andWhere('log.entityType = :entityType', filter);
    if (filter.entityId) query.andWhere('log.entityId = :entityId', filter);
    if (filter.actorType) query.andWhere('log.actorType = :actorType', filter);
    if (filter.actorId) query.andWhere('log.actorId = :actorId', filter);
    if (filter.startDate) query.andWhere('log.createdAt >= :startDate', filter);
    if (filter.endDate) query.andWhere('log.createdAt <= :endDate', filter);
    return query
      .orderBy('log.sequence', 'DESC')
      .take(page.limit)
      .skip(page.offset)
      .getManyAndCount();
  }

  /** Entries after `afterSequence`, in chain order. */
  batchAfter(afterSequence: string, limit: number): Promise<AuditLog[]> {
    return this.logs
      .createQueryBuilder('log')
      .where('log.sequence > :afterSequence', { afterSequence })
      .orderBy('log.sequence', 'ASC')
      .take(limit)
      .getMany();
  }

  head(): Promise<AuditChainHead> {
    return this.heads.findOneByOrFail({ id: 1 });
  }

  /**
   * Retention: deletes entries older than `before` except those of `keep` entity types, and
   * moves the checkpoint to the newest deleted sequence, so that verification knows which
   * gaps are pruning and not tampering.
   */
  async prune(manager: EntityManager, before: Date, keep: string[]): Promise<number> {
    const deleted = await queryRecords<{ sequence: string }>(
      manager,
      `DELETE FROM audit_logs WHERE created_at < $1 AND NOT (entity_type = ANY($2)) RETURNING sequence`,
      [before, keep],
    );
    if (deleted.length === 0) return 0;
    const newest = deleted.reduce((max, row) => Math.max(max, Number(row.sequence)), 0);
    await queryRecords(
      manager,
      'UPDATE audit_chain_head SET pruned_through = GREATEST(pruned_through, $1) WHERE id = 1',
      [newest],
    );
    return deleted.length;
  }
}
