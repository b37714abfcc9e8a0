import { Injectable } from '@nestjs/common';
import { pageOf, type Page, type PageQueryDto } from '../../common/pagination/page-query.dto.js';
import type { EntityManager } from 'typeorm';
import type { ApiKeyPrincipal } from '../../common/auth/principal.js';
import { UserService } from '../user/user.service.js';
import { ApiKeyService } from './api-key.service.js';
import type { OrganizationResponseDto } from './dto/organization-response.dto.js';
import type { UserOrganizationDto } from './dto/user-organization.dto.js';
import { InvitationRepository } from './invitation.repository.js';
import { MembershipRepository } from './membership.repository.js';
import { MembershipService } from './membership.service.js';
import { toOrganizationResponse } from './organization.mapper.js';
import { OrganizationRepository } from './organization.repository.js';
import { OrganizationService } from './organization.service.js';
import type { MemberRole, Region } from './tenant.types.js';

/** What other modules may ask of the tenant module. */
@Injectable()
export class TenantService {
  constructor(
    private readonly organizationService: OrganizationService,
    private readonly membershipService: MembershipService,
    private readonly apiKeys: ApiKeyService,
    private readonly memberships: MembershipRepository,
    private readonly organizations: OrganizationRepository,
    private readonly invitations: InvitationRepository,
    private readonly users: UserService,
  ) {}

  /** Creates an organization owned by `ownerId`, inside the caller's transaction. */
  createOrganization(
    manager: EntityManager,
    ownerId: string,
    input: { name: string; region?: Region },
  ): Promise<OrganizationResponseDto> {
    return this.organizationService.createInTransaction(manager, ownerId, input);
  }

  async listOrganizationsOfUser(userId: string): Promise<UserOrganizationDto[]> {
    const memberships = await this.memberships.listOfUser(userId);
    const names = new Map(
      (await this.organizations.findLiveByIds(memberships.map((m) => m.organizationId))).map(
        (o) => [o.id, o.name],
      ),
    );
    return memberships.map((m) => ({
      id: m.organizationId,
      name: names.get(m.organizationId) ?? '',
      role: m.role,
    }));
  }

  /** A live organization, or null. */
  async findOrganization(
    organizationId: string,
    manager?: EntityManager,
  ): Promise<OrganizationResponseDto | null> {
    const organization = await this.organizations.findLive(organizationId, manager);
    return organization ? toOrganizationResponse(organization) : null;
  }

  /** The region of the user's first organization (their personal one, unless they left it). */
  async primaryRegionOf(userId: string): Promise<Region | null> {
    const [first] = await this.memberships.listOfUser(userId);
    return first
      ? ((await this.organizations.findLive(first.organizationId))?.region ?? null)
      : null;
  }

  /** The user's role in a live organization, or null when they are not in it. */
  findRole(organizationId: string, userId: string): Promise<MemberRole | null> {
    return this.memberships.findRole(organizationId, userId);
  }

  authenticateApiKey(key: string): Promise<ApiKeyPrincipal | null> {
    return this.apiKeys.authenticate(key);
  }

  /** For account deletion: leaves every organization (409 LAST_OWNER when it cannot). */
  removeUserEverywhere(manager: EntityManager, userId: string): Promise<void> {
    return this.membershipService.removeUserEverywhere(manager, userId);
  }

  /**
   * For an account taken back by the owner of its address: the API keys it created and the
   * invitations it sent are revoked, so whoever held it before keeps no way in.
   */
  async revokeWhatUserIssued(manager: EntityManager, userId: string): Promise<void> {
    await this.apiKeys.revokeCreatedBy(manager, userId, 'account-claimed');
    await this.invitations.revokeSentBy(manager, userId);
  }

  /** Seats in use: members plus pending invitations. */
  async seatsTaken(organizationId: string, manager?: EntityManager): Promise<number> {
    return (
      (await this.memberships.count(manager, organizationId)) +
      (await this.invitations.countPending(manager, organizationId))
    );
  }

  /** The owners' email addresses, for notices about the organization's account. */
  async ownerEmails(organizationId: string, manager?: EntityManager): Promise<string[]> {
    const owners = (await this.memberships.listOfOrganization(organizationId, manager)).filter(
      (membership) => membership.role === 'owner',
    );
    const accounts = await Promise.all(
      owners.map((owner) => this.users.findAccountById(owner.userId, manager)),
    );
    return accounts.flatMap((account) => (account ? [account.profile.email] : []));
  }

  /** Retention: invitations that expired unaccepted. */
  deleteExpiredInvitations(): Promise<number> {
    return this.invitations.deleteExpired();
  }

  countOrganizations(): Promise<number> {
    return this.organizations.countLive();
  }

  /** Live organizations for operators, newest first. */
  async searchOrganizations(
    search: string | undefined,
    query: PageQueryDto,
  ): Promise<Page<OrganizationResponseDto>> {
    const [rows, total] = await this.organizations.search(search, {
      limit: query.perPage,
      offset: (query.page - 1) * query.perPage,
    });
    return pageOf(rows.map(toOrganizationResponse), total, query);
  }
}
