import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OrganizationResponseDto } from '../tenant/dto/organization-response.dto.js';
import { TenantService } from '../tenant/tenant.service.js';
import type { UserResponseDto } from '../user/dto/user-response.dto.js';
import { UserService, displayNameOf } from '../user/user.service.js';
import { EmailVerificationService } from './email-verification.service.js';

export interface NewAccount {
  email: string;
  passwordHash: string | null;
  username?: string | null;
  fullName?: string | null;
  emailVerified: boolean;
}

/** A new user always comes with a personal organization it owns, whichever way it signed up. */
@Injectable()
export class AccountCreationService {
  constructor(
    private readonly users: UserService,
    private readonly tenants: TenantService,
    private readonly verification: EmailVerificationService,
  ) {}

  /** Inside the caller's transaction; mails a verification link unless the email is verified. */
  async create(
    manager: EntityManager,
    input: NewAccount,
  ): Promise<{ user: UserResponseDto; organization: OrganizationResponseDto }> {
    const user = await this.users.create(manager, {
      email: input.email,
      passwordHash: input.passwordHash,
      username: input.username ?? null,
      fullName: input.fullName ?? null,
      emailVerified: input.emailVerified,
    });
    const organization = await this.tenants.createOrganization(manager, user.id, {
      name: `${displayNameOf(user)}'s workspace`.slice(0, 100),
    });
    if (!input.emailVerified) await this.verification.issue(manager, user);
    return { user, organization };
  }
}
