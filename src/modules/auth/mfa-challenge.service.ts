import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/index.js';
import { hashToken, newOpaqueToken } from '../../common/crypto/opaque-token.js';
import type { ClientInfo } from '../../common/http/client-info.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import type { LoginOutcome } from '../user/entities/login-attempt.entity.js';
import { LoginHistoryService } from '../user/login-history.service.js';
import { AuthService } from './auth.service.js';
import { InvalidCredentialsError } from './auth.errors.js';
import type { LoginResponseDto } from './dto/auth-response.dto.js';
import { LoginThrottle } from './login-throttle.service.js';
import { MfaService } from './mfa.service.js';
import { SessionService } from './session.service.js';
import { UserTokenRepository } from './user-token.repository.js';

/** Long enough to open the authenticator app, short enough that a leaked challenge is stale. */
const CHALLENGE_TTL_MS = 5 * 60 * 1000;
const PURPOSE = 'mfa_challenge';

const invalidChallenge = () =>
  new DomainError(
    'INVALID_TOKEN',
    'This sign-in challenge is unknown, used or expired; sign in again',
  );

interface ChallengedUser {
  id: string;
  email: string;
}

/**
 * The second step of a sign-in whose first factor passed (a password or a provider) for an
 * account with TOTP: `demand` answers MFA_REQUIRED with a single-use `mfaToken`, and
 * `complete` trades it and a code for a session. The code is checked under the account's
 * failure limit, which the password routes share.
 */
@Injectable()
export class MfaChallengeService {
  constructor(
    private readonly mfa: MfaService,
    private readonly tokens: UserTokenRepository,
    private readonly throttle: LoginThrottle,
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
    private readonly history: LoginHistoryService,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Throws MFA_REQUIRED with a fresh challenge when the account has TOTP enabled. */
  async demandIfEnabled(user: ChallengedUser, method: string, client: ClientInfo): Promise<void> {
    if (!(await this.mfa.isEnabled(user.id))) return;
    const mfaToken = newOpaqueToken();
    await this.transactions.run((manager) =>
      this.tokens.insert(manager, {
        userId: user.id,
        purpose: PURPOSE,
        tokenHash: hashToken(mfaToken),
        email: user.email,
        expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
      }),
    );
    await this.record(user, 'mfa_required', method, client);
    throw new DomainError(
      'MFA_REQUIRED',
      'Enter the code from your authenticator app: POST /v1/auth/mfa/verify with this mfaToken',
      { mfaToken },
    );
  }

  /** Checks the code for a challenge and, once it passes, spends the challenge on a session. */
  async complete(mfaToken: string, code: string, client: ClientInfo): Promise<LoginResponseDto> {
    const tokenHash = hashToken(mfaToken);
    const challenge = await this.transactions.run((manager) =>
      this.tokens.findUsable(manager, tokenHash, PURPOSE),
    );
    if (!challenge) throw invalidChallenge();
    // The account as it is now: suspended meanwhile, no code is checked (or spent); the failure
    // budget is the current address's, which the password routes share.
    const account = await this.auth.assertActive(challenge.userId);
    const user = { id: account.profile.id, email: account.profile.email };
    const passed = await this.throttle
      .attempt(user.email, () => this.mfa.verifyForLogin(user.id, code))
      .catch(async (error: unknown) => {
        if (error instanceof DomainError && error.code === 'RATE_LIMITED')
          await this.record(user, 'rate_limited', 'totp', client);
        throw error;
      });
    if (!passed) {
      await this.record(user, 'invalid_mfa_code', 'totp', client);
      throw new InvalidCredentialsError();
    }
    await this.throttle.clear(user.email);
    const result = await this.transactions.run(async (manager) => {
      // Spent here, not before the code check: a mistyped code leaves the challenge usable.
      if (!(await this.tokens.consume(manager, tokenHash, PURPOSE))) throw invalidChallenge();
      const account = await this.auth.assertActive(user.id, manager);
      return { user: account.profile, tokens: await this.sessions.start(manager, user.id, client) };
    });
    await this.record(user, 'success', 'totp', client);
    return result;
  }

  private record(user: ChallengedUser, outcome: LoginOutcome, method: string, client: ClientInfo) {
    return this.history.record({ userId: user.id, email: user.email, outcome, method, client });
  }
}
