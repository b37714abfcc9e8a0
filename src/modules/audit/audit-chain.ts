import { createHash } from 'node:crypto';
import { canonicalJson } from '../../common/crypto/canonical-json.js';
import type { AuditLog } from './entities/audit-log.entity.js';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export type ChainedFields = Pick<
  AuditLog,
  | 'id'
  | 'sequence'
  | 'entityType'
  | 'entityId'
  | 'action'
  | 'actorType'
  | 'actorId'
  | 'changes'
  | 'metadata'
  | 'createdAt'
>;

/** SHA-256 of the previous hash and the entry's canonical JSON (as stored: JSON round-tripped). */
export function chainHash(previousHash: string, entry: ChainedFields): string {
  const stored = JSON.parse(
    JSON.stringify({
      id: entry.id,
      sequence: String(entry.sequence),
      entityType: entry.entityType,
      entityId: entry.entityId,
      action: entry.action,
      actorType: entry.actorType,
      actorId: entry.actorId,
      changes: entry.changes,
      metadata: entry.metadata,
      timestamp: entry.createdAt.toISOString(),
    }),
  ) as unknown;
  return createHash('sha256').update(previousHash).update(canonicalJson(stored)).digest('hex');
}
