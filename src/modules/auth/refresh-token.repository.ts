import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { RefreshToken } from './entities/refresh-token.entity.js';

export type NewRefreshToken = Pick<
  RefreshToken,
  'userId' | 'familyId' | 'tokenHash' | 'expiresAt' | 'ip' | 'userAgent'
>;

@Injectable()
export class RefreshTokenRepository {
  constructor(@InjectRepository(RefreshToken) private readonly tokens: Repository<RefreshToken>) {}

  async insert(manager: EntityManager, token: NewRefreshToken): Promise<void> {
    await manager.getRepository(RefreshToken).insert(token);
  }

  /**
   * Marks a live token as rotated and returns it; null when it is unknown, expired or already
   * revoked. The conditional UPDATE takes the row lock, so of N concurrent refreshes with one
   * token exactly one gets the row back.
   */
  async claimForRotation(manager: EntityManager, tokenHash: string): Promise<RefreshToken | null> {
    const result = await manager
      .getRepository(RefreshToken)
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()', revokedReason: 'rotated' })
      .where('token_hash = :tokenHash AND revoked_at IS NULL AND expires_at > now()', { tokenHash })
      .returning('id, user_id, family_id')
      .execute();
    const row = (result.raw as { id: string; user_id: string; family_id: string }[])[0];
    if (!row) return null;
    return this.tokens.create({ id: row.id, userId: row.user_id, familyId: row.family_id });
  }

  findByHash(tokenHash: string): Promise<RefreshToken | null> {
    return this.tokens.findOne({ where: { tokenHash } });
  }
}
