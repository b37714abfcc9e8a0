import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { BackgroundWork } from '../../common/background-work.js';
import { DomainError } from '../../common/errors/index.js';
import { appConfig } from '../../config/app.config.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { MailService } from '../mail/mail.service.js';
import type { UserResponseDto } from '../user/dto/user-response.dto.js';
import { UserService, displayNameOf } from '../user/user.service.js';
import { hashToken, newOpaqueToken } from '../../common/crypto/opaque-token.js';
import { UserTokenRepository } from './user-token.repository.js';

const VERIFICATION_TTL_MS = 24 * 60 * 60 * 1000;

export class InvalidTokenError extends DomainError {
  constructor() {
    super('INVALID_TOKEN', 'This link is unknown, already used or expired; ask for a new one');
  }
}

@Injectable()
export class EmailVerificationService {
  constructor(
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    private readonly tokens: UserTokenRepository,
    private readonly users: UserService,
    private readonly mail: MailService,
    private readonly transactions: TransactionRunner,
    private readonly background: BackgroundWork,
  ) {}

  /** Mails a fresh verification link (older ones stop working), inside the caller's transaction. */
  async issue(manager: EntityManager, user: UserResponseDto): Promise<void> {
    const token = newOpaqueToken();
    await this.tokens.retireOutstanding(manager, user.id, 'verify_email');
    await this.tokens.insert(manager, {
      userId: user.id,
      purpose: 'verify_email',
      tokenHash: hashToken(token),
      email: user.email,
      expiresAt: new Date(Date.now() + VERIFICATION_TTL_MS),
    });
    await this.mail.enqueue(manager, user.email, 'verify-email', {
      name: displayNameOf(user),
      link: `${this.app.appUrl}/verify-email?token=${encodeURIComponent(token)}`,
    });
  }

  /** Uses a verification token: the address it was sent to becomes verified, once. */
  verify(token: string): Promise<{ user: UserResponseDto }> {
    return this.transactions.run(async (manager) => {
      const consumed = await this.tokens.consume(manager, hashToken(token), 'verify_email');
      if (!consumed) throw new InvalidTokenError();
      const user = await this.users.markEmailVerified(manager, consumed.userId, consumed.email);
      if (!user) throw new InvalidTokenError();
      await this.mail.enqueue(manager, user.email, 'welcome', {
        name: displayNameOf(user),
        appUrl: this.app.appUrl,
      });
      return { user };
    });
  }

  /**
   * Answers at once and does the work in the background, so the response neither says nor
   * (by its timing) hints whether an unverified account exists for the address.
   */
  resend(email: string): void {
    this.background.run('resend verification', async () => {
      const account = await this.users.findAccountByEmail(email);
      if (!account || account.isDeleted || account.profile.emailVerified) return;
      await this.transactions.run((manager) => this.issue(manager, account.profile));
    });
  }
}
