import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import type { EntityManager, Repository } from 'typeorm';
import { queryRecords } from '../../database/query-records.js';
import { AuthSession } from './entities/session.entity.js';
import type { RevocationReason } from './entities/refresh-token.entity.js';

/** Which sessions a revocation ends: one, or all of a user's (optionally but one). */
export type SessionScope = { id: string } | { userId: string; exceptId?: string };

@Injectable()
export class SessionRepository {
  constructor(@InjectRepository(AuthSession) private readonly sessions: Repository<AuthSession>) {}

  async insert(manager: EntityManager, session: Pick<AuthSession, 'id' | 'userId' | 'expiresAt'>) {
    await manager.getRepository(AuthSession).insert(session);
  }

  /**
   * Locks the live session that `tokenHash` belongs to, or returns null. Rotation takes this
   * lock before it claims the token and revocation takes it before it revokes the family's
   * tokens, so they run one after the other: a successor minted by a rotation that was still
   * running when the session was revoked is committed before the revocation looks for it.
   */
  async lockLiveByToken(manager: EntityManager, tokenHash: string): Promise<string | null> {
    const rows = await queryRecords<{ id: string }>(
      manager,
      `SELECT s.id FROM sessions s JOIN refresh_tokens t ON t.family_id = s.id
       WHERE t.token_hash = $1 AND s.revoked_at IS NULL
       FOR UPDATE OF s`,
      [tokenHash],
    );
    return rows[0]?.id ?? null;
  }

  async extend(manager: EntityManager, id: string, expiresAt: Date): Promise<void> {
    await manager.getRepository(AuthSession).update({ id }, { expiresAt });
  }

  /**
   * Ends the sessions in `scope` and every refresh token they still hold. The session rows are
   * updated first: their row locks wait for a rotation in progress (see `lockLiveByToken`), and
   * the token UPDATE that follows sees what it committed.
   */
  async revoke(
    manager: EntityManager,
    scope: SessionScope,
    reason: RevocationReason,
  ): Promise<string[]> {
    const [condition, parameters] =
      'id' in scope
        ? ['id = $2', [scope.id]]
        : ['user_id = $2 AND id IS DISTINCT FROM $3::uuid', [scope.userId, scope.exceptId ?? null]];
    const ended = await queryRecords<{ id: string }>(
      manager,
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $1
       WHERE ${condition} AND revoked_at IS NULL RETURNING id`,
      [reason, ...parameters],
    );
    const ids = ended.map((row) => row.id);
    if (ids.length > 0) {
      await queryRecords(
        manager,
        `UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = $1
         WHERE family_id = ANY($2::uuid[]) AND revoked_at IS NULL`,
        [reason, ids],
      );
    }
    return ids;
  }

  /** Whether an access token's session still stands: one primary-key read per bearer request. */
  async isLive(id: string, userId: string): Promise<boolean> {
    if (!isUUID(id)) return false;
    const found = await this.sessions
      .createQueryBuilder('s')
      .select('1')
      .where('s.id = :id AND s.user_id = :userId AND s.revoked_at IS NULL', { id, userId })
      .getRawOne<unknown>();
    return found !== undefined;
  }
}
