import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { pageOf, type Page, type PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { chainHash, GENESIS_HASH } from './audit-chain.js';
import { AuditRepository, type AuditLogFilter } from './audit.repository.js';
import type { AuditEntry } from './audit.types.js';
import type { AuditLog } from './entities/audit-log.entity.js';

export interface AuditLogView {
  id: string;
  entityType: string;
  entityId: string;
  action: string;
  actorType: string;
  actorId: string | null;
  changes: Record<string, unknown>;
  metadata: Record<string, unknown>;
  timestamp: string;
}

export interface ChainVerification {
  valid: boolean;
  checked: number;
  firstBrokenId: string | null;
}

const VERIFY_BATCH = 1000;

@Injectable()
export class AuditService {
  constructor(
    private readonly auditLogs: AuditRepository,
    private readonly transactions: TransactionRunner,
  ) {}

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

  /**
   * Retention: entries older than `before`, except those of `keep` entity types, are deleted and
   * the chain's checkpoint moves past them, so the rest still verifies.
   */
  pruneOlderThan(before: Date, keep: string[]): Promise<number> {
    return this.transactions.run((manager) => this.auditLogs.prune(manager, before, keep));
  }

  async list(filter: AuditLogFilter, query: PageQueryDto): Promise<Page<AuditLogView>> {
    const [rows, total] = await this.auditLogs.list(filter, {
      limit: query.perPage,
      offset: (query.page - 1) * query.perPage,
    });
    return pageOf(rows.map(toView), total, query);
  }

  /**
   * Walks the chain in sequence order: each entry's hash must match its content and the hash
   * before it, each entry must link to its predecessor (a missing one is allowed only where
   * retention pruned), and the last entry must be the chain head (nothing cut off the end).
   */
  async verify(): Promise<ChainVerification> {
    const head = await this.auditLogs.head();
    const prunedThrough = Number(head.prunedThrough);
    let previous: AuditLog | null = null;
    let checked = 0;
    for (;;) {
      const batch = await this.auditLogs.batchAfter(previous?.sequence ?? '0', VERIFY_BATCH);
      for (const entry of batch) {
        checked += 1;
        if (!this.linksTo(entry, previous, prunedThrough)) {
          return { valid: false, checked, firstBrokenId: entry.id };
        }
        previous = entry;
      }
      if (batch.length < VERIFY_BATCH) break;
    }
    // The last entry must be the head, unless retention pruned the head entry itself.
    const endsAtHead =
      Number(head.sequence) <= prunedThrough ||
      (previous !== null &&
        Number(previous.sequence) === Number(head.sequence) &&
        previous.hash === head.hash);
    return endsAtHead
      ? { valid: true, checked, firstBrokenId: null }
      : { valid: false, checked, firstBrokenId: previous?.id ?? null };
  }

  private linksTo(entry: AuditLog, previous: AuditLog | null, prunedThrough: number): boolean {
    if (chainHash(entry.previousHash, entry) !== entry.hash) return false;
    const sequence = Number(entry.sequence);
    if (previous && Number(previous.sequence) === sequence - 1) {
      return entry.previousHash === previous.hash;
    }
    if (sequence === 1) return entry.previousHash === GENESIS_HASH;
    return sequence - 1 <= prunedThrough;
  }
}

function toView(log: AuditLog): AuditLogView {
  return {
    id: log.id,
    entityType: log.entityType,
    entityId: log.entityId,
    action: log.action,
    actorType: log.actorType,
    actorId: log.actorId,
    changes: log.changes,
    metadata: log.metadata,
    timestamp: log.createdAt.toISOString(),
  };
}
