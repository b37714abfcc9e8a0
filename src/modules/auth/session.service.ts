import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import type { ClientInfo } from '../../common/http/client-info.js';
import { authConfig } from '../../config/auth.config.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { AccessTokenService } from './access-token.service.js';
import { RefreshTokenReusedError, UnauthenticatedError } from './auth.errors.js';
import type { TokenResponseDto } from './dto/token-response.dto.js';
import type { RevocationReason } from './entities/refresh-token.entity.js';
import { RefreshTokenRepository } from './refresh-token.repository.js';
import { hashToken, newOpaqueToken } from '../../common/crypto/opaque-token.js';

/** Issues, rotates and revokes a user's sessions (an access token plus a refresh token family). */
@Injectable()
export class SessionService {
  constructor(
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Starts a new session (a new refresh token family) inside the caller's transaction. */
  start(manager: EntityManager, userId: string, client: ClientInfo): Promise<TokenResponseDto> {
    return this.issue(manager, userId, randomUUID(), client);
  }

  /**
   * Exchanges a refresh token for a new pair. A token that was already rotated is a replay
   * (stolen, or a client bug): the whole family is revoked, the successor included.
   * `assertUserActive` runs inside the rotation, so a suspended user gets no new tokens.
   */
  async rotate(
    refreshToken: string,
    client: ClientInfo,
    assertUserActive: (userId: string, manager: EntityManager) => Promise<void>,
  ): Promise<TokenResponseDto> {
    const tokenHash = hashToken(refreshToken);
    const rotated = await this.transactions.run(async (manager) => {
      const claimed = await this.refreshTokens.claimForRotation(manager, tokenHash);
      if (!claimed) return null;
      await assertUserActive(claimed.userId, manager);
      return this.issue(manager, claimed.userId, claimed.familyId, client);
    });
    if (rotated) return rotated;
    return this.rejectUnclaimable(tokenHash);
  }

  /** Logs one session out; unknown or already revoked tokens are ignored (logout is idempotent). */
  async revoke(refreshToken: string): Promise<void> {
    await this.refreshTokens.revokeByHash(hashToken(refreshToken), 'logout');
  }

  /** Ends every session of the user but `keepSessionId` (the one making the request). */
  async revokeOthers(manager: EntityManager, userId: string, keepSessionId: string): Promise<void> {
    await this.refreshTokens.revokeAllOfUser(userId, 'credentials_changed', manager, keepSessionId);
  }

  async revokeAll(
    userId: string,
    reason: RevocationReason = 'logout_all',
    manager?: EntityManager,
  ): Promise<void> {
    await this.refreshTokens.revokeAllOfUser(userId, reason, manager);
  }

  private async rejectUnclaimable(tokenHash: string): Promise<never> {
    const known = await this.refreshTokens.findByHash(tokenHash);
    if (known?.revokedReason === 'rotated') {
      await this.refreshTokens.revokeFamily(known.familyId, 'reuse_detected');
      throw new RefreshTokenReusedError();
    }
    throw new UnauthenticatedError('The refresh token is invalid, expired or revoked');
  }

  private async issue(
    manager: EntityManager,
    userId: string,
    familyId: string,
    client: ClientInfo,
  ): Promise<TokenResponseDto> {
    const refreshToken = newOpaqueToken();
    await this.refreshTokens.insert(manager, {
      userId,
      familyId,
      tokenHash: hashToken(refreshToken),
      expiresAt: new Date(Date.now() + this.config.refreshTtlSeconds * 1000),
      ip: client.ip,
      userAgent: client.userAgent,
    });
    return {
      accessToken: await this.accessTokens.sign(userId, familyId),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.accessTokens.ttlSeconds,
    };
  }
}
