import { Injectable } from '@nestjs/common';
import { IsNull, MoreThan, type EntityManager } from 'typeorm';
import { queryRecords } from '../../database/query-records.js';
import { UserToken, type UserTokenPurpose } from './entities/user-token.entity.js';

export type NewUserToken = Pick<
  UserToken,
  'userId' | 'purpose' | 'tokenHash' | 'email' | 'expiresAt'
>;

@Injectable()
export class UserTokenRepository {
  async insert(manager: EntityManager, token: NewUserToken): Promise<void> {
    await manager.getRepository(UserToken).insert(token);
  }

  /**
   * Uses a token: one conditional UPDATE, so a token is accepted once even when presented twice
   * at the same moment. Null when unknown, used, expired or of another purpose.
   */
  async consume(
    manager: EntityManager,
    tokenHash: string,
    purpose: UserTokenPurpose,
  ): Promise<{ userId: string; email: string } | null> {
    const rows = await queryRecords<{ user_id: string; email: string }>(
      manager,
      `UPDATE user_tokens SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
    RETURNING user_id, email`,
      [tokenHash, purpose],
    );
    return rows[0] ? { userId: rows[0].user_id, email: rows[0].email } : null;
  }

  /** The token's owner while it is unused and unexpired; does not spend it. */
  async findUsable(
    manager: EntityManager,
    tokenHash: string,
    purpose: UserTokenPurpose,
  ): Promise<{ userId: string; email: string } | null> {
    const token = await manager.getRepository(UserToken).findOneBy({
      tokenHash,
      purpose,
      usedAt: IsNull(),
      expiresAt: MoreThan(new Date()),
    });
    return token ? { userId: token.userId, email: token.email } : null;
  }

  /** Retires the user's outstanding tokens of one purpose, so only the newest link works. */
  async retireOutstanding(
    manager: EntityManager,
    userId: string,
    purpose: UserTokenPurpose,
  ): Promise<void> {
    await manager
      .getRepository(UserToken)
      .update({ userId, purpose, usedAt: IsNull() }, { usedAt: new Date() });
  }
}
