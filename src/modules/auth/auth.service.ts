import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ClientInfo } from '../../common/http/client-info.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { TenantService } from '../tenant/tenant.service.js';
import { UserService, type UserAccount } from '../user/user.service.js';
import { AccountSuspendedError, UnauthenticatedError } from './auth.errors.js';
import type {
  MeResponseDto,
  RefreshResponseDto,
  RegisterResponseDto,
} from './dto/auth-response.dto.js';
import type { RegisterDto } from './dto/register.dto.js';
import { AccountCreationService } from './account-creation.service.js';
import { PasswordHasher } from './password.hasher.js';
import { PasswordPolicy } from './password.policy.js';
import { SessionService } from './session.service.js';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserService,
    private readonly tenants: TenantService,
    private readonly accounts: AccountCreationService,
    private readonly sessions: SessionService,
    private readonly passwords: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly transactions: TransactionRunner,
  ) {}

  /**
   * Creates the user, a personal organization it owns, a first session and the verification
   * mail, all or nothing.
   */
  async register(input: RegisterDto, client: ClientInfo): Promise<RegisterResponseDto> {
    this.policy.assertAcceptable(input.password);
    const passwordHash = await this.passwords.hash(input.password);
    return this.transactions.run(async (manager) => {
      const { user, organization } = await this.accounts.create(manager, {
        email: input.email,
        passwordHash,
        username: input.username,
        fullName: input.fullName,
        emailVerified: false,
      });
      const tokens = await this.sessions.start(manager, user.id, client);
      return { user, tokens, organization };
    });
  }

  async refresh(refreshToken: string, client: ClientInfo): Promise<RefreshResponseDto> {
    const tokens = await this.sessions.rotate(refreshToken, client, async (userId, manager) => {
      await this.assertActive(userId, manager);
    });
    return { tokens };
  }

  logout(refreshToken: string): Promise<void> {
    return this.sessions.revoke(refreshToken);
  }

  logoutAll(userId: string): Promise<void> {
    return this.transactions.run((manager) =>
      this.sessions.revokeAll(manager, userId, 'logout_all'),
    );
  }

  async me(userId: string): Promise<MeResponseDto> {
    const account = await this.assertActive(userId);
    return {
      user: account.profile,
      organizations: await this.tenants.listOrganizationsOfUser(userId),
    };
  }

  /**
   * The account behind a token must still exist and be active: deleted is 401, suspended 403,
   * whatever the token's expiry says.
   */
  async assertActive(userId: string, manager?: EntityManager): Promise<UserAccount> {
    const account = await this.users.findAccountById(userId, manager);
    if (!account || account.isDeleted)
      throw new UnauthenticatedError('This account no longer exists');
    if (account.profile.status === 'suspended') throw new AccountSuspendedError();
    return account;
  }
}
