import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRecords } from '../../database/query-records.js';
import { canonicalJson } from '../crypto/canonical-json.js';
import { DomainError } from '../errors/index.js';

export interface IdempotentRequest {
  organizationId: string;
  key: string;
  /** What the key was used for: `POST /credits/charge`; the same key on another route is a reuse. */
  route: string;
  body: unknown;
}

/**
 * Idempotency keys kept with the answer they got, inside the caller's transaction. The key row is
 * inserted first: a concurrent request with the same key waits on PostgreSQL's unique index until
 * the first one commits (and then replays its answer) or rolls back (and then goes ahead itself).
 * A failed request rolls its key back with everything else, so the key can be used again.
 */
@Injectable()
export class IdempotencyStore {
  /** The earlier answer to this key, or null when the key is new (and now claimed). */
  async claim<T>(manager: EntityManager, request: IdempotentRequest): Promise<T | null> {
    const hash = hashOf(request);
    const claimed = await queryRecords<{ key: string }>(
      manager,
      `INSERT INTO idempotency_keys (organization_id, key, request_hash, status_code, response)
       VALUES ($1, $2, $3, 0, '{}') ON CONFLICT DO NOTHING RETURNING key`,
      [request.organizationId, request.key, hash],
    );
    if (claimed.length > 0) return null;
    const [earlier] = await queryRecords<{ request_hash: string; response: T }>(
      manager,
      'SELECT request_hash, response FROM idempotency_keys WHERE organization_id = $1 AND key = $2',
      [request.organizationId, request.key],
    );
    if (earlier.request_hash !== hash) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used with another request; use a new key for a new request',
      );
    }
    return earlier.response;
  }

  /** Retention: keys older than `before` (at least 24 hours old, API.md). */
  async deleteOlderThan(manager: EntityManager, before: Date): Promise<number> {
    const rows = await queryRecords(
      manager,
      'DELETE FROM idempotency_keys WHERE created_at < $1 RETURNING 1',
      [before],
    );
    return rows.length;
  }

  async complete(
    manager: EntityManager,
    request: Pick<IdempotentRequest, 'organizationId' | 'key'>,
    statusCode: number,
    response: object,
  ): Promise<void> {
    await queryRecords(
      manager,
      'UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE organization_id = $1 AND key = $2',
      [request.organizationId, request.key, statusCode, JSON.stringify(response)],
    );
  }
}

function hashOf(request: IdempotentRequest): string {
  return createHash('sha256')
    .update(request.route)
    .update('\n')
    .update(canonicalJson(request.body))
    .digest('hex');
}
