import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { UserPrincipal } from '../../common/auth/principal.js';
import { DomainError } from '../../common/errors/index.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import type { DomainEventMap } from '../../events/domain-events.js';
import { AuditService } from '../audit/audit.service.js';
import { MailService } from '../mail/mail.service.js';
import { TenantService } from '../tenant/tenant.service.js';
import type { UserResponseDto } from '../user/dto/user-response.dto.js';
import {
  UserService,
  displayNameOf,
  normalizeEmail,
  type UserAccount,
} from '../user/user.service.js';
import { InvalidCredentialsError } from './auth.errors.js';
import type { ChangeEmailDto, ChangePasswordDto } from './dto/account.dto.js';
import { EmailVerificationService } from './email-verification.service.js';
import { MfaRepository } from './mfa.repository.js';
import { OAuthRepository } from './oauth/oauth.repository.js';
import { LoginThrottle } from './login-throttle.service.js';
import { PasswordHasher } from './password.hasher.js';
import { PasswordPolicy } from './password.policy.js';
import { SessionService } from './session.service.js';

/** What a user does to their own credentials: email, password, and leaving for good. */
@Injectable()
export class AccountService {
  constructor(
    private readonly users: UserService,
    private readonly tenants: TenantService,
    private readonly sessions: SessionService,
    private readonly verification: EmailVerificationService,
    private readonly passwords: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly policy: PasswordPolicy,
    private readonly mfa: MfaRepository,
    private readonly oauth: OAuthRepository,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
  ) {}

  /** The new address is unverified and gets a link; the old one is told of the change. */
  async changeEmail(principal: UserPrincipal, input: ChangeEmailDto): Promise<UserResponseDto> {
    const { profile } = await this.withPassword(principal.userId, input.password);
    const newEmail = normalizeEmail(input.newEmail);
    if (newEmail === profile.email) {
      throw new DomainError('VALIDATION_FAILED', 'This is already your email address', {
        errors: [{ field: 'newEmail', message: 'newEmail is your current address' }],
      });
    }
    return this.transactions.run(async (manager) => {
      const updated = await this.users.changeEmail(manager, profile.id, newEmail);
      await this.verification.issue(manager, updated);
      await this.mail.enqueue(manager, profile.email, 'email-changed', {
        name: displayNameOf(profile),
        newEmail,
      });
      await this.audit.record(manager, {
        entityType: 'USER',
        entityId: profile.id,
        action: 'UPDATE',
        actor: { type: 'USER', id: profile.id },
        changes: { email: { from: profile.email, to: newEmail } },
      });
      return updated;
    });
  }

  /** Checks the current password, sets the new one and signs every other session out. */
  async changePassword(principal: UserPrincipal, input: ChangePasswordDto): Promise<void> {
    const { profile } = await this.withPassword(principal.userId, input.currentPassword);
    this.policy.assertAcceptable(input.newPassword, 'newPassword');
    const passwordHash = await this.passwords.hash(input.newPassword);
    await this.transactions.run(async (manager) => {
      await this.users.setPasswordHash(manager, profile.id, passwordHash);
      await this.sessions.revokeOthers(manager, profile.id, principal.sessionId);
      await this.mail.enqueue(manager, profile.email, 'password-changed', {
        name: displayNameOf(profile),
      });
    });
  }

  /**
   * Deletes the account: leaves every organization (409 LAST_OWNER while others depend on it),
   * removes personal data and sign-in methods, ends every session, and says goodbye.
   */
  async deleteAccount(principal: UserPrincipal, password: string): Promise<void> {
    const { profile } = await this.withPassword(principal.userId, password);
    await this.transactions.run(async (manager) => {
      await this.tenants.removeUserEverywhere(manager, profile.id);
      await this.mail.enqueue(manager, profile.email, 'account-deleted', {
        name: displayNameOf(profile),
      });
      await this.users.anonymise(manager, profile.id);
      await this.mfa.remove(manager, profile.id);
      await this.oauth.unlinkAll(manager, profile.id);
      await this.sessions.revokeAll(manager, profile.id, 'account_deleted');
      await this.audit.record(manager, {
        entityType: 'USER',
        entityId: profile.id,
        action: 'DELETE',
        actor: { type: 'USER', id: profile.id },
        changes: { deletedAt: { from: null, to: new Date().toISOString() } },
      });
    });
  }

  @OnEvent('user.suspended')
  async endSessionsOfSuspended({ userId }: DomainEventMap['user.suspended']): Promise<void> {
    await this.transactions.run((manager) =>
      this.sessions.revokeAll(manager, userId, 'account_suspended'),
    );
  }

  /** The account, once its password was confirmed under the account's failure limit. */
  private async withPassword(userId: string, password: string): Promise<UserAccount> {
    const account = await this.users.findAccountById(userId);
    if (!account) throw new InvalidCredentialsError();
    const passed = await this.throttle.attempt(account.profile.email, () =>
      this.passwords.verify(account.passwordHash, password),
    );
    if (!passed) throw new InvalidCredentialsError();
    return account;
  }
}
