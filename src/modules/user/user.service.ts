import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { UserResponseDto } from './dto/user-response.dto.js';
import type { User } from './entities/user.entity.js';
import { UserRepository, type NewUser } from './user.repository.js';
import { toUserResponse } from './user.mapper.js';

/** A user as other modules see it: the public profile plus what authentication needs. */
export interface UserAccount {
  profile: UserResponseDto;
  passwordHash: string | null;
  isDeleted: boolean;
}

@Injectable()
export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly audit: AuditService,
  ) {}

  /** Creates a user inside the caller's transaction; EMAIL_TAKEN or USERNAME_TAKEN on a clash. */
  async create(manager: EntityManager, input: NewUser): Promise<UserResponseDto> {
    const user = await this.users.insert(manager, {
      ...input,
      email: normalizeEmail(input.email),
    });
    await this.audit.record(manager, {
      entityType: 'USER',
      entityId: user.id,
      action: 'CREATE',
      actor: { type: 'USER', id: user.id },
      changes: { email: { from: null, to: user.email } },
    });
    return toUserResponse(user);
  }

  /** Marks `email` verified if it is still the user's address; null when it no longer is. */
  async markEmailVerified(
    manager: EntityManager,
    userId: string,
    email: string,
  ): Promise<UserResponseDto | null> {
    const user = await this.users.markEmailVerified(manager, userId, email);
    return user ? toUserResponse(user) : null;
  }

  /** Moves the account to a new, unverified address (EMAIL_TAKEN on a clash); returns the new profile. */
  async changeEmail(
    manager: EntityManager,
    userId: string,
    email: string,
  ): Promise<UserResponseDto> {
    await this.users.changeEmail(manager, userId, normalizeEmail(email));
    return toUserResponse((await this.users.findById(userId, manager))!);
  }

  /** Removes the personal data of a deleted account, inside the caller's transaction. */
  anonymise(manager: EntityManager, userId: string): Promise<void> {
    return this.users.anonymise(manager, userId);
  }

  /** Replaces the password hash (null leaves the account with OAuth sign-in only). */
  setPasswordHash(
    manager: EntityManager,
    userId: string,
    passwordHash: string | null,
  ): Promise<void> {
    return this.users.setPasswordHash(manager, userId, passwordHash);
  }

  async findProfiles(ids: string[]): Promise<Map<string, UserResponseDto>> {
    const users = await this.users.findByIds(ids);
    return new Map(users.map((user) => [user.id, toUserResponse(user)]));
  }

  async findAccountByEmail(email: string, manager?: EntityManager): Promise<UserAccount | null> {
    return toAccount(await this.users.findByEmail(normalizeEmail(email), manager));
  }

  /** Users by status and platform role (admin statistics). */
  stats() {
    return this.users.stats();
  }

  async findAccountById(id: string, manager?: EntityManager): Promise<UserAccount | null> {
    return toAccount(await this.users.findById(id, manager));
  }
}

/** How mail greets a user: the full name, else the username, else the email's local part. */
export function displayNameOf(
  user: Pick<UserResponseDto, 'fullName' | 'username' | 'email'>,
): string {
  return user.fullName ?? user.username ?? user.email.split('@')[0];
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function toAccount(user: User | null): UserAccount | null {
  if (!user) return null;
  return {
    profile: toUserResponse(user),
    passwordHash: user.passwordHash,
    isDeleted: user.deletedAt !== null,
  };
}
