import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { OrganizationResponseDto } from './dto/organization-response.dto.js';
import type { UserOrganizationDto } from './dto/user-organization.dto.js';
import type { Organization } from './entities/organization.entity.js';
import { MembershipRepository } from './membership.repository.js';
import { OrganizationRepository } from './organization.repository.js';
import { slugify } from './slug.js';
import type { Region } from './tenant.types.js';

@Injectable()
export class TenantService {
  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly memberships: MembershipRepository,
    private readonly audit: AuditService,
  ) {}

  /** Creates an organization owned by `ownerId`, inside the caller's transaction. */
  async createOrganization(
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
      changes: { name: { from: null, to: organization.name }, owner: { from: null, to: ownerId } },
    });
    return toOrganizationResponse(organization);
  }

  listOrganizationsOfUser(userId: string): Promise<UserOrganizationDto[]> {
    return this.memberships.listOrganizationsOfUser(userId);
  }
}

function toOrganizationResponse(organization: Organization): OrganizationResponseDto {
  return {
    id: organization.id,
    name: organization.name,
    slug: organization.slug,
    region: organization.region,
    createdAt: organization.createdAt.toISOString(),
  };
}
