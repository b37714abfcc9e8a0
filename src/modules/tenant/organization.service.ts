import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Page, type PageQueryDto, pageOf } from '../../common/pagination/page-query.dto.js';
import { DomainError } from '../../common/errors/index.js';
import { OrganizationHolds } from '../../common/organization-holds.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { EventBus } from '../../events/event-bus.js';
import { AuditService } from '../audit/audit.service.js';
import type { UpdateOrganizationDto } from './dto/organization-request.dto.js';
import type {
  MemberOrganizationDto,
  OrganizationResponseDto,
} from './dto/organization-response.dto.js';
import { MembershipRepository } from './membership.repository.js';
import { toOrganizationResponse } from './organization.mapper.js';
import { OrganizationRepository } from './organization.repository.js';
import { slugify } from './slug.js';
import { OrganizationNotFoundError } from './tenant.errors.js';
import type { Region } from './tenant.types.js';

@Injectable()
export class OrganizationService {
  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly memberships: MembershipRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly events: EventBus,
    private readonly holds: OrganizationHolds,
  ) {}

  /** Creates an organization owned by `ownerId`, inside the caller's transaction. */
  async createInTransaction(
    manager: EntityManager,
    ownerId: string,
    input: { name: string; region?: Region },
  ): Promise<OrganizationResponseDto> {
    const organization = await this.organizations.insertWithUniqueSlug(manager, {
      name: input.name,
      region: input.region ?? 'US',
      baseSlug: slugify(input.name),
    });
    await this.memberships.insert(manager, {
      organizationId: organization.id,
      userId: ownerId,
      role: 'owner',
    });
    await this.audit.record(manager, {
      entityType: 'ORGANIZATION',
      entityId: organization.id,
      action: 'CREATE',
      actor: { type: 'USER', id: ownerId },
      changes: {
        name: { from: null, to: organization.name },
        region: { from: null, to: organization.region },
      },
    });
    return toOrganizationResponse(organization);
  }

  create(
    ownerId: string,
    input: { name: string; region?: Region },
  ): Promise<OrganizationResponseDto> {
    return this.transactions.run((manager) => this.createInTransaction(manager, ownerId, input));
  }

  async listForMember(userId: string, query: PageQueryDto): Promise<Page<MemberOrganizationDto>> {
    const memberships = await this.memberships.listOfUser(userId);
    const window = memberships.slice((query.page - 1) * query.perPage, query.page * query.perPage);
    const organizations = new Map(
      (await this.organizations.findLiveByIds(window.map((m) => m.organizationId))).map((o) => [
        o.id,
        o,
      ]),
    );
    const data = window.flatMap(({ organizationId, role }) => {
      const organization = organizations.get(organizationId);
      return organization ? [{ ...toOrganizationResponse(organization), role }] : [];
    });
    return pageOf(data, memberships.length, query);
  }

  async get(organizationId: string): Promise<OrganizationResponseDto> {
    const organization = await this.organizations.findLive(organizationId);
    if (!organization) throw new OrganizationNotFoundError();
    return toOrganizationResponse(organization);
  }

  update(
    actorId: string,
    organizationId: string,
    patch: UpdateOrganizationDto,
  ): Promise<OrganizationResponseDto> {
    return this.transactions.run(async (manager) => {
      const before = await this.organizations.findLive(organizationId, manager);
      if (!before) throw new OrganizationNotFoundError();
      await this.organizations.update(manager, organizationId, patch);
      const changes = Object.fromEntries(
        (Object.keys(patch) as (keyof UpdateOrganizationDto)[])
          .filter((field) => patch[field] !== undefined && patch[field] !== before[field])
          .map((field) => [field, { from: before[field], to: patch[field] }]),
      );
      await this.audit.record(manager, {
        entityType: 'ORGANIZATION',
        entityId: organizationId,
        action: 'UPDATE',
        actor: { type: 'USER', id: actorId },
        changes,
      });
      if (changes.name)
        this.events.publishAfterCommit(manager, 'organization.renamed', {
          organizationId,
          name: patch.name!,
        });
      return toOrganizationResponse((await this.organizations.findLive(organizationId, manager))!);
    });
  }

  /**
   * Soft delete: the organization and everything under it disappear from the API. Refused (409
   * LIVE_SUBSCRIPTION) while something holds it, such as a live subscription: nobody could cancel
   * it afterwards and the customer would go on being billed.
   */
  delete(actorId: string, organizationId: string): Promise<void> {
    return this.transactions.run(async (manager) => {
      if (!(await this.organizations.lockLive(manager, organizationId)))
        throw new OrganizationNotFoundError();
      const holds = await this.holds.of(organizationId, manager);
      if (holds.length > 0)
        throw new DomainError(
          'LIVE_SUBSCRIPTION',
          `This organization has ${holds.join(' and ')}; cancel it before deleting the organization`,
        );
      await this.organizations.softDelete(manager, organizationId);
      await this.audit.record(manager, {
        entityType: 'ORGANIZATION',
        entityId: organizationId,
        action: 'DELETE',
        actor: { type: 'USER', id: actorId },
      });
    });
  }
}
