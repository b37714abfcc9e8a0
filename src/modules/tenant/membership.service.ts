import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { hasOrgRole } from '../../common/decorators/org-role.decorator.js';
import { OrganizationHolds } from '../../common/organization-holds.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { AuditService } from '../audit/audit.service.js';
import { UserService } from '../user/user.service.js';
import type { MemberResponseDto } from './dto/member.dto.js';
import { MembershipRepository } from './membership.repository.js';
import { OrganizationRepository } from './organization.repository.js';
import { ForbiddenRoleError, LastOwnerError, OrganizationNotFoundError } from './tenant.errors.js';
import type { MemberRole } from './tenant.types.js';

/** Who acts on an organization: a member, with their role in it. */
export interface MemberActor {
  userId: string;
  role: MemberRole;
}

@Injectable()
export class MembershipService {
  constructor(
    private readonly memberships: MembershipRepository,
    private readonly organizations: OrganizationRepository,
    private readonly users: UserService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly holds: OrganizationHolds,
  ) {}

  async list(organizationId: string): Promise<MemberResponseDto[]> {
    const members = await this.memberships.listOfOrganization(organizationId);
    const profiles = await this.users.findProfiles(members.map((m) => m.userId));
    return members.flatMap((member) => {
      const profile = profiles.get(member.userId);
      if (!profile) return [];
      const { email, fullName, username } = profile;
      return [
        {
          userId: member.userId,
          email,
          fullName,
          username,
          role: member.role,
          joinedAt: member.createdAt.toISOString(),
        },
      ];
    });
  }

  /**
   * Admins change roles up to admin; only owners make owners or change an owner's role. The
   * last owner cannot step down (409 LAST_OWNER).
   */
  async changeRole(
    actor: MemberActor,
    organizationId: string,
    userId: string,
    role: MemberRole,
  ): Promise<MemberResponseDto> {
    await this.transactions.run(async (manager) => {
      const current = await this.lockAndFind(manager, organizationId, userId);
      const actorRole = await this.currentRole(manager, organizationId, actor);
      if (!hasOrgRole(actorRole, 'admin')) throw new ForbiddenRoleError('Only admins change roles');
      if ((role === 'owner' || current === 'owner') && actorRole !== 'owner') {
        throw new ForbiddenRoleError('Only owners make owners or change an owner’s role');
      }
      if (current === 'owner' && role !== 'owner')
        await this.assertAnotherOwner(manager, organizationId);
      await this.memberships.updateRole(manager, organizationId, userId, role);
      await this.recordMemberChange(manager, actor.userId, organizationId, userId, current, role);
    });
    const member = (await this.list(organizationId)).find((m) => m.userId === userId);
    if (!member) throw new OrganizationNotFoundError('member');
    return member;
  }

  /** Admins remove members (owners only by owners); anyone may leave. The last owner stays. */
  remove(actor: MemberActor, organizationId: string, userId: string): Promise<void> {
    return this.transactions.run(async (manager) => {
      const current = await this.lockAndFind(manager, organizationId, userId);
      const leaving = actor.userId === userId;
      const actorRole = await this.currentRole(manager, organizationId, actor);
      if (!leaving && !hasOrgRole(actorRole, current === 'owner' ? 'owner' : 'admin')) {
        throw new ForbiddenRoleError(
          current === 'owner' ? 'Only owners remove owners' : 'Only admins remove members',
        );
      }
      if (current === 'owner') await this.assertAnotherOwner(manager, organizationId);
      await this.memberships.remove(manager, organizationId, userId);
      await this.recordMemberChange(manager, actor.userId, organizationId, userId, current, null);
    });
  }

  /**
   * Takes a departing user out of every organization, inside the caller's transaction. An
   * organization the user alone owns is deleted with them when nobody else is in it; while
   * others are, the user must hand over ownership first (409 LAST_OWNER).
   */
  async removeUserEverywhere(manager: EntityManager, userId: string): Promise<void> {
    for (const { organizationId, role } of await this.memberships.listOfUser(userId, manager)) {
      await this.organizations.lockLive(manager, organizationId);
      const soleOwner =
        role === 'owner' && (await this.memberships.count(manager, organizationId, 'owner')) === 1;
      if (soleOwner) await this.assertAbandonable(manager, organizationId);
      await this.memberships.remove(manager, organizationId, userId);
      if (soleOwner) await this.organizations.softDelete(manager, organizationId);
      await this.recordMemberChange(manager, userId, organizationId, userId, role, null);
    }
  }

  /** Its last owner may leave an organization only when nobody and nothing else depends on it. */
  private async assertAbandonable(manager: EntityManager, organizationId: string): Promise<void> {
    const others =
      (await this.memberships.count(manager, organizationId)) > 1 ? ['other members'] : [];
    const reasons = [...others, ...(await this.holds.of(organizationId, manager))];
    if (reasons.length > 0) {
      throw new LastOwnerError(
        `You are the last owner of an organization with ${reasons.join(' and ')}; make someone else owner first`,
      );
    }
  }

  private async lockAndFind(
    manager: EntityManager,
    organizationId: string,
    userId: string,
  ): Promise<MemberRole> {
    if (!(await this.organizations.lockLive(manager, organizationId)))
      throw new OrganizationNotFoundError();
    const role = await this.memberships.findRole(organizationId, userId, manager);
    if (!role) throw new OrganizationNotFoundError('member');
    return role;
  }

  /**
   * The actor's role as of the organization lock: the guard read it earlier, and a concurrent
   * change may have lowered it since.
   */
  private async currentRole(
    manager: EntityManager,
    organizationId: string,
    actor: MemberActor,
  ): Promise<MemberRole> {
    const role = await this.memberships.findRole(organizationId, actor.userId, manager);
    if (!role) throw new OrganizationNotFoundError();
    return role;
  }

  private async assertAnotherOwner(manager: EntityManager, organizationId: string): Promise<void> {
    if ((await this.memberships.count(manager, organizationId, 'owner')) <= 1)
      throw new LastOwnerError();
  }

  private recordMemberChange(
    manager: EntityManager,
    actorId: string,
    organizationId: string,
    userId: string,
    from: MemberRole | null,
    to: MemberRole | null,
  ): Promise<void> {
    return this.audit.record(manager, {
      entityType: 'ORGANIZATION',
      entityId: organizationId,
      action: to ? 'UPDATE' : 'DELETE',
      actor: { type: 'USER', id: actorId },
      changes: { memberRole: { from, to } },
      metadata: { memberId: userId },
    });
  }
}
