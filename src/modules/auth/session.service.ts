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
import { SessionRepository } from './session.repository.js';
import { UserTokenRepository } from './user-token.repository.js';
import { hashToken, newOpaqueToken } from '../../common/crypto/opaque-token.js';

/** Issues, rotates and revokes a user's sessions (an access token plus a refresh token family). */
@Injectable()
export class SessionService {
  constructor(
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly sessions: SessionRepository,
    private readonly userTokens: UserTokenRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Starts a new session (a new refresh token family) inside the caller's transaction. */
  async start(
    manager: EntityManager,
    userId: string,
    client: ClientInfo,
  ): Promise<TokenResponseDto> {
    const id = randomUUID();
    await this.sessions.insert(manager, { id, userId, expiresAt: this.refreshExpiry() });
    return this.issue(manager, userId, id, client);
  }

  /**
   * Exchanges a refresh token for a new pair. A token that was already rotated is a replay
   * (stolen, or a client bug): the whole session is revoked, the successor and its access
   * tokens included. `assertUserActive` runs inside the rotation, so a suspended user gets no
   * new tokens.
   */
  async rotate(
    refreshToken: string,
    client: ClientInfo,
    assertUserActive: (userId: string, manager: EntityManager) => Promise<void>,
  ): Promise<TokenResponseDto> {
    const tokenHash = hashToken(refreshToken);
    const rotated = await this.transactions.run(async (manager) => {
      const sessionId = await this.sessions.lockLiveByToken(manager, tokenHash);
      const claimed = sessionId && (await this.refreshTokens.claimForRotation(manager, tokenHash));
      if (!claimed) return null;
      await assertUserActive(claimed.userId, manager);
      await this.sessions.extend(manager, claimed.familyId, this.refreshExpiry());
      return this.issue(manager, claimed.userId, claimed.familyId, client);
    });
    if (rotated) return rotated;
    return this.rejectUnclaimable(tokenHash);
  }

  /** Whether the session an access token names still stands (not revoked, not yet deleted by retention). */
  isLive(sessionId: string, userId: string): Promise<boolean> {
    return this.sessions.isLive(sessionId, userId);
  }

  /** Logs one session out; unknown or already revoked tokens are ignored (logout is idempotent). */
  async revoke(refreshToken: string): Promise<void> {
    const known = await this.refreshTokens.findByHash(hashToken(refreshToken));
    if (!known || known.revokedAt) return;
    await this.transactions.run((manager) =>
      this.sessions.revoke(manager, { id: known.familyId }, 'logout'),
    );
  }

  /** Ends every session of the user but `keepSessionId` (the one making the request). */
  async revokeOthers(manager: EntityManager, userId: string, keepSessionId: string): Promise<void> {
    await this.sessions.revoke(manager, { userId, exceptId: keepSessionId }, 'credentials_changed');
    await this.userTokens.retireOutstanding(manager, userId, 'mfa_challenge');
  }

  /**
   * Ends every session of the user inside the caller's transaction, and the sign-ins halfway
   * through (MFA challenges): a password that stopped working must not finish one.
   */
  async revokeAll(manager: EntityManager, userId: string, reason: RevocationReason): Promise<void> {
    await this.sessions.revoke(manager, { userId }, reason);
    await this.userTokens.retireOutstanding(manager, userId, 'mfa_challenge');
  }

  private async rejectUnclaimable(tokenHash: string): Promise<never> {
    const known = await this.refreshTokens.findByHash(tokenHash);
    if (known?.revokedReason === 'rotated') {
      await this.transactions.run((manager) =>
        this.sessions.revoke(manager, { id: known.familyId }, 'reuse_detected'),
      );
      throw new RefreshTokenReusedError();
    }
    throw new UnauthenticatedError('The refresh token is invalid, expired or revoked');
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.config.refreshTtlSeconds * 1000);
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
      expiresAt: this.refreshExpiry(),
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
