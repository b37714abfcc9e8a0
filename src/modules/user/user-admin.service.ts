import { Injectable } from '@nestjs/common';
import type { PlatformRole } from '../../common/auth/principal.js';
import { DomainError } from '../../common/errors/index.js';
import { type Page, pageOf } from '../../common/pagination/page-query.dto.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { EventBus } from '../../events/event-bus.js';
import { AuditService } from '../audit/audit.service.js';
import { MailService } from '../mail/mail.service.js';
import type { ChangeStatusDto, ListUsersQueryDto } from './dto/admin-user.dto.js';
import type { UserResponseDto } from './dto/user-response.dto.js';
import type { User } from './entities/user.entity.js';
import { UserRepository } from './user.repository.js';
import { UserNotFoundError } from './user.errors.js';
import { toUserResponse } from './user.mapper.js';
import { displayNameOf } from './user.service.js';

/** Platform administration of users: search, roles and suspension, each audited and notified. */
@Injectable()
export class UserAdminService {
  constructor(
    private readonly users: UserRepository,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly events: EventBus,
    private readonly transactions: TransactionRunner,
  ) {}

  async list(query: ListUsersQueryDto): Promise<Page<UserResponseDto>> {
    const [users, total] = await this.users.search(
      query,
      (query.page - 1) * query.perPage,
      query.perPage,
    );
    return pageOf(users.map(toUserResponse), total, query);
  }

  /** `actor` is the admin's user id, or null for the operators' key (admin API). */
  changeRole(
    actor: { type: 'USER' | 'ADMIN'; id: string | null },
    userId: string,
    role: PlatformRole,
    metadata: Record<string, unknown> = {},
  ): Promise<UserResponseDto> {
    if (actor.type === 'USER' && actor.id === userId)
      throw new DomainError('FORBIDDEN', 'You cannot change your own role');
    return this.transactions.run(async (manager) => {
      const user = await this.findLive(userId, manager);
      if (user.role !== role) {
        await this.users.setFields(manager, userId, { role });
        await this.audit.record(manager, {
          entityType: 'USER',
          entityId: userId,
          action: 'UPDATE',
          actor,
          changes: { role: { from: user.role, to: role } },
          metadata,
        });
        await this.mail.enqueue(manager, user.email, 'role-changed', {
          name: displayNameOf(user),
          from: user.role,
          to: role,
        });
      }
      return toUserResponse({ ...user, role });
    });
  }

  /** Suspension needs a reason and ends the user's sessions at once; reactivation is notified too. */
  changeStatus(actorId: string, userId: string, input: ChangeStatusDto): Promise<UserResponseDto> {
    if (actorId === userId) throw new DomainError('FORBIDDEN', 'You cannot change your own status');
    return this.transactions.run(async (manager) => {
      const user = await this.findLive(userId, manager);
      if (user.status !== input.status) {
        await this.users.setFields(manager, userId, { status: input.status });
        await this.audit.record(manager, {
          entityType: 'USER',
          entityId: userId,
          action: input.status === 'suspended' ? 'SUSPEND' : 'REACTIVATE',
          actor: { type: 'USER', id: actorId },
          changes: { status: { from: user.status, to: input.status } },
          metadata: { reason: input.reason ?? null },
        });
        const name = displayNameOf(user);
        if (input.status === 'suspended') {
          await this.mail.enqueue(manager, user.email, 'account-suspended', {
            name,
            reason: input.reason!,
          });
          this.events.publishAfterCommit(manager, 'user.suspended', { userId });
        } else {
          await this.mail.enqueue(manager, user.email, 'account-reactivated', { name });
        }
      }
      return toUserResponse({ ...user, status: input.status });
    });
  }

  private async findLive(
    userId: string,
    manager: Parameters<UserRepository['findById']>[1],
  ): Promise<User> {
    const user = await this.users.findById(userId, manager);
    if (!user || user.deletedAt) throw new UserNotFoundError();
    return user;
  }
}
