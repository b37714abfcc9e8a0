import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/index.js';
import type { ClientInfo } from '../../common/http/client-info.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import type { LoginOutcome } from '../user/entities/login-attempt.entity.js';
import { LoginHistoryService } from '../user/login-history.service.js';
import { UserService, normalizeEmail } from '../user/user.service.js';
import { AccountSuspendedError, InvalidCredentialsError } from './auth.errors.js';
import type { LoginResponseDto } from './dto/auth-response.dto.js';
import type { LoginDto } from './dto/login.dto.js';
import { LoginThrottle } from './login-throttle.service.js';
import { MfaChallengeService } from './mfa-challenge.service.js';
import { MfaService } from './mfa.service.js';
import { PasswordHasher } from './password.hasher.js';
import { SessionService } from './session.service.js';

/**
 * Password login: the per-account lock, the password, the account state and the second factor,
 * in that order; every attempt lands in the login history whatever its outcome.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly users: UserService,
    private readonly history: LoginHistoryService,
    private readonly throttle: LoginThrottle,
    private readonly passwords: PasswordHasher,
    private readonly mfa: MfaService,
    private readonly challenges: MfaChallengeService,
    private readonly sessions: SessionService,
    private readonly transactions: TransactionRunner,
  ) {}

  async login(input: LoginDto, client: ClientInfo): Promise<LoginResponseDto> {
    const email = normalizeEmail(input.email);
    const record = (outcome: LoginOutcome, userId: string | null = null) =>
      this.history.record({ userId, email, outcome, method: 'password', client });

    const limited = async (error: unknown): Promise<never> => {
      if (error instanceof DomainError && error.code === 'RATE_LIMITED')
        await record('rate_limited');
      throw error;
    };
    // Unknown emails still cost one password verification, so timing does not reveal accounts.
    const account = await this.users.findAccountByEmail(email);
    const passwordMatches = await this.throttle
      .attempt(email, async () =>
        Boolean(
          (await this.passwords.verify(account?.passwordHash ?? null, input.password)) &&
          account &&
          !account.isDeleted,
        ),
      )
      .catch(limited);
    if (!account || account.isDeleted || !passwordMatches) {
      await record(
        'invalid_credentials',
        account && !account.isDeleted ? account.profile.id : null,
      );
      throw new InvalidCredentialsError();
    }
    const userId = account.profile.id;
    if (account.profile.status === 'suspended') {
      await record('account_suspended', userId);
      throw new AccountSuspendedError();
    }
    const code = input.mfaCode;
    if (!code) await this.challenges.demandIfEnabled(account.profile, 'password', client);
    else if (await this.mfa.isEnabled(userId)) {
      const codeMatches = await this.throttle
        .attempt(email, () => this.mfa.verifyForLogin(userId, code))
        .catch(limited);
      if (!codeMatches) {
        await record('invalid_mfa_code', userId);
        throw new InvalidCredentialsError();
      }
    }
    await this.throttle.clear(email);
    const tokens = await this.transactions.run((manager) =>
      this.sessions.start(manager, userId, client),
    );
    await record('success', userId);
    return { user: account.profile, tokens };
  }
}
