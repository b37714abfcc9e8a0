import { Inject, Injectable } from '@nestjs/common';
import { hashToken, newOpaqueToken } from '../../common/crypto/opaque-token.js';
import type { ConfigType } from '@nestjs/config';
import { COUNTER_STORE, type CounterStore } from '../../common/rate-limit/counter.store.js';
import { SeatLimits } from '../../common/seat-limits.js';
import { DomainError } from '../../common/errors/index.js';
import { appConfig } from '../../config/app.config.js';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { AuditService } from '../audit/audit.service.js';
import { MailService } from '../mail/mail.service.js';
import { UserService, displayNameOf } from '../user/user.service.js';
import type { CreateInvitationDto, InvitationResponseDto } from './dto/invitation.dto.js';
import type { MembershipResponseDto } from './dto/member.dto.js';
import type { Invitation } from './entities/invitation.entity.js';
import { InvitationRepository } from './invitation.repository.js';
import type { MemberActor } from './membership.service.js';
import { MembershipRepository } from './membership.repository.js';
import { OrganizationRepository } from './organization.repository.js';
import { ForbiddenRoleError, OrganizationNotFoundError } from './tenant.errors.js';

const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
export const INVITATIONS_PER_HOUR = 30;

@Injectable()
export class InvitationService {
  constructor(
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(COUNTER_STORE) private readonly counters: CounterStore,
    private readonly invitations: InvitationRepository,
    private readonly memberships: MembershipRepository,
    private readonly organizations: OrganizationRepository,
    private readonly users: UserService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly seatLimits: SeatLimits,
  ) {}

  /** Mails a single-use, 7-day invitation; a pending one to the same address is replaced. */
  async invite(
    actor: MemberActor,
    organizationId: string,
    input: CreateInvitationDto,
  ): Promise<InvitationResponseDto> {
    if (input.role === 'owner' && actor.role !== 'owner')
      throw new ForbiddenRoleError('Only owners invite owners');
    await this.assertInvitationBudget(organizationId);
    return this.transactions.run(async (manager) => {
      const organization = await this.organizations.findLive(organizationId, manager);
      if (!organization) throw new OrganizationNotFoundError();
      await this.claimSeat(manager, organizationId, input.email);
      const invitee = await this.users.findAccountByEmail(input.email, manager);
      if (
        invitee &&
        (await this.memberships.findRole(organizationId, invitee.profile.id, manager))
      ) {
        throw new DomainError('CONFLICT', 'This person is already a member');
      }
      const token = newOpaqueToken();
      const invitation = await this.invitations.replacePending(manager, {
        organizationId,
        email: input.email,
        role: input.role,
        tokenHash: hashToken(token),
        invitedBy: actor.userId,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      });
      const inviter = await this.users.findAccountById(actor.userId, manager);
      await this.mail.enqueue(manager, input.email, 'invitation', {
        inviterName: inviter ? displayNameOf(inviter.profile) : 'A teammate',
        organizationName: organization.name,
        role: input.role,
        link: `${this.app.appUrl}/invitations/accept?token=${encodeURIComponent(token)}`,
      });
      return toInvitationResponse(invitation);
    });
  }

  /**
   * Each invitation mails someone outside the organization: at most INVITATIONS_PER_HOUR per
   * organization (shared by replicas through the counter store), so revoking and re-inviting
   * cannot turn the service into a mail cannon.
   */
  private async assertInvitationBudget(organizationId: string): Promise<void> {
    const { count, resetInMs } = await this.counters.increment(
      `invitations:${organizationId}`,
      HOUR_MS,
    );
    if (count > INVITATIONS_PER_HOUR) {
      throw new DomainError(
        'RATE_LIMITED',
        `This organization sent ${INVITATIONS_PER_HOUR} invitations in the last hour; try again later`,
        { retryAfterSeconds: resetInMs / 1000 },
      );
    }
  }

  /**
   * Members plus pending invitations never pass the level's `seats` limit. The organization row
   * is locked first, so concurrent invitations count one after the other.
   */
  private async claimSeat(
    manager: EntityManager,
    organizationId: string,
    email: string,
  ): Promise<void> {
    await this.organizations.lockLive(manager, organizationId);
    const limit = await this.seatLimits.of(organizationId, manager);
    if (limit === null) return;
    const taken =
      (await this.memberships.count(manager, organizationId)) +
      (await this.invitations.countPending(manager, organizationId, email));
    if (taken >= limit) {
      throw new DomainError(
        'FEATURE_NOT_ENTITLED',
        `Feature seats: all ${limit} seats of this plan are taken (members and pending invitations)`,
      );
    }
  }

  async listPending(organizationId: string): Promise<InvitationResponseDto[]> {
    return (await this.invitations.listPending(organizationId)).map(toInvitationResponse);
  }

  async revoke(organizationId: string, invitationId: string): Promise<void> {
    if (!(await this.invitations.revoke(organizationId, invitationId)))
      throw new OrganizationNotFoundError('invitation');
  }

  /** Joins the organization with the invitation's role, if the caller's email is the invited one. */
  accept(userId: string, token: string): Promise<MembershipResponseDto> {
    return this.transactions.run(async (manager) => {
      const invitation = await this.invitations.lockUsable(manager, hashToken(token));
      if (!invitation || !(await this.organizations.lockLive(manager, invitation.organizationId))) {
        throw new DomainError(
          'INVALID_TOKEN',
          'This invitation is unknown, used, revoked or expired',
        );
      }
      const account = await this.users.findAccountById(userId, manager);
      if (account?.profile.email !== invitation.email) {
        throw new ForbiddenRoleError('This invitation was sent to another email address');
      }
      // The mailed token proves the address (API.md): accepting it verifies the email.
      if (!account.profile.emailVerified)
        await this.users.markEmailVerified(manager, userId, invitation.email);
      const membership = await this.memberships.insert(manager, {
        organizationId: invitation.organizationId,
        userId,
        role: invitation.role,
      });
      await this.invitations.markAccepted(manager, invitation.id);
      await this.audit.record(manager, {
        entityType: 'ORGANIZATION',
        entityId: invitation.organizationId,
        action: 'UPDATE',
        actor: { type: 'USER', id: userId },
        changes: { memberRole: { from: null, to: invitation.role } },
        metadata: { memberId: userId, invitationId: invitation.id },
      });
      return { organizationId: membership.organizationId, userId, role: membership.role };
    });
  }
}

function toInvitationResponse(invitation: Invitation): InvitationResponseDto {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    expiresAt: invitation.expiresAt.toISOString(),
    createdAt: invitation.createdAt.toISOString(),
  };
}
