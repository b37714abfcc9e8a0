import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { BackgroundWork } from '../../common/background-work.js';
import { appConfig } from '../../config/app.config.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { MailService } from '../mail/mail.service.js';
import { UserService, displayNameOf } from '../user/user.service.js';
import { InvalidTokenError } from './email-verification.service.js';
import { LoginThrottle } from './login-throttle.service.js';
import { PasswordHasher } from './password.hasher.js';
import { PasswordPolicy } from './password.policy.js';
import { SessionService } from './session.service.js';
import { hashToken, newOpaqueToken } from '../../common/crypto/opaque-token.js';
import { UserTokenRepository } from './user-token.repository.js';

const RESET_TTL_MS = 60 * 60 * 1000;

@Injectable()
export class PasswordResetService {
  constructor(
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    private readonly tokens: UserTokenRepository,
    private readonly users: UserService,
    private readonly sessions: SessionService,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly throttle: LoginThrottle,
    private readonly mail: MailService,
    private readonly transactions: TransactionRunner,
    private readonly background: BackgroundWork,
  ) {}

  /** Mails a reset link if the account exists; answers alike (and as fast) when it does not. */
  requestReset(email: string): void {
    this.background.run('password reset request', async () => {
      const account = await this.users.findAccountByEmail(email);
      if (!account || account.isDeleted) return;
      const { profile } = account;
      const token = newOpaqueToken();
      await this.transactions.run(async (manager) => {
        await this.tokens.retireOutstanding(manager, profile.id, 'reset_password');
        await this.tokens.insert(manager, {
          userId: profile.id,
          purpose: 'reset_password',
          tokenHash: hashToken(token),
          email: profile.email,
          expiresAt: new Date(Date.now() + RESET_TTL_MS),
        });
        await this.mail.enqueue(manager, profile.email, 'password-reset', {
          name: displayNameOf(profile),
          link: `${this.app.appUrl}/reset-password?token=${encodeURIComponent(token)}`,
        });
      });
    });
  }

  /**
   * Sets a new password with a single-use token, signs every session out and sends the
   * password-changed notice, all in one transaction.
   */
  async reset(token: string, password: string): Promise<void> {
    this.policy.assertAcceptable(password);
    const passwordHash = await this.hasher.hash(password);
    const email = await this.transactions.run(async (manager) => {
      const consumed = await this.tokens.consume(manager, hashToken(token), 'reset_password');
      if (!consumed) throw new InvalidTokenError();
      const account = await this.users.findAccountById(consumed.userId, manager);
      if (!account || account.isDeleted) throw new InvalidTokenError();
      await this.users.setPasswordHash(manager, consumed.userId, passwordHash);
      await this.sessions.revokeAll(manager, consumed.userId, 'credentials_changed');
      await this.mail.enqueue(manager, account.profile.email, 'password-changed', {
        name: displayNameOf(account.profile),
      });
      return account.profile.email;
    });
    // Whoever holds the mailbox proved it: the lockout of the account ends.
    await this.throttle.clear(email);
  }
}
