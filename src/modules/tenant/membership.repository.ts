import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { Membership } from './entities/membership.entity.js';
import { Organization } from './entities/organization.entity.js';
import type { MemberRole } from './tenant.types.js';

export interface UserOrganization {
  id: string;
  name: string;
  role: MemberRole;
}

@Injectable()
export class MembershipRepository {
  constructor(@InjectRepository(Membership) private readonly memberships: Repository<Membership>) {}

  async insert(
    manager: EntityManager,
    membership: { organizationId: string; userId: string; role: MemberRole },
  ): Promise<void> {
    await manager.getRepository(Membership).insert(membership);
  }

  listOrganizationsOfUser(userId: string): Promise<UserOrganization[]> {
    return this.memberships
      .createQueryBuilder('membership')
      .innerJoin(Organization, 'organization', 'organization.id = membership.organizationId')
      .select(['organization.id AS id', 'organization.name AS name', 'membership.role AS role'])
      .where('membership.userId = :userId', { userId })
      .orderBy('membership.createdAt', 'ASC')
      .getRawMany<UserOrganization>();
  }
}
