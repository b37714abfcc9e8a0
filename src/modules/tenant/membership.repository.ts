import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { DomainError } from '../../common/errors/index.js';
import { isUniqueViolation } from '../../database/postgres-errors.js';
import { Membership } from './entities/membership.entity.js';
import type { MemberRole } from './tenant.types.js';

@Injectable()
export class MembershipRepository {
  constructor(@InjectRepository(Membership) private readonly memberships: Repository<Membership>) {}

  async insert(
    manager: EntityManager,
    membership: { organizationId: string; userId: string; role: MemberRole },
  ): Promise<Membership> {
    try {
      return await manager
        .getRepository(Membership)
        .save(manager.getRepository(Membership).create(membership));
    } catch (error) {
      if (isUniqueViolation(error, 'uq_memberships_org_user')) {
        throw new DomainError('CONFLICT', 'Already a member of this organization');
      }
      throw error;
    }
  }

  /** The user's role in a live organization; null when not a member (or the organization is gone). */
  async findRole(
    organizationId: string,
    userId: string,
    manager?: EntityManager,
  ): Promise<MemberRole | null> {
    const row = await (manager?.getRepository(Membership) ?? this.memberships)
      .createQueryBuilder('m')
      .innerJoin('organizations', 'o', 'o.id = m.organization_id AND o.deleted_at IS NULL')
      .select('m.role', 'role')
      .where('m.organization_id = :organizationId AND m.user_id = :userId', {
        organizationId,
        userId,
      })
      .getRawOne<{ role: MemberRole }>();
    return row?.role ?? null;
  }

  /** The user's memberships in live organizations, oldest first. */
  listOfUser(
    userId: string,
    manager?: EntityManager,
  ): Promise<{ organizationId: string; role: MemberRole }[]> {
    return (manager?.getRepository(Membership) ?? this.memberships)
      .createQueryBuilder('m')
      .innerJoin('organizations', 'o', 'o.id = m.organization_id AND o.deleted_at IS NULL')
      .select(['m.organization_id AS "organizationId"', 'm.role AS role'])
      .where('m.user_id = :userId', { userId })
      .orderBy('m.created_at', 'ASC')
      .getRawMany();
  }

  listOfOrganization(organizationId: string, manager?: EntityManager): Promise<Membership[]> {
    return (manager?.getRepository(Membership) ?? this.memberships).find({
      where: { organizationId },
      order: { createdAt: 'ASC' },
    });
  }

  async count(
    manager: EntityManager | undefined,
    organizationId: string,
    role?: MemberRole,
  ): Promise<number> {
    return (manager?.getRepository(Membership) ?? this.memberships).countBy({
      organizationId,
      ...(role ? { role } : {}),
    });
  }

  async updateRole(
    manager: EntityManager,
    organizationId: string,
    userId: string,
    role: MemberRole,
  ): Promise<void> {
    await manager.getRepository(Membership).update({ organizationId, userId }, { role });
  }

  async remove(manager: EntityManager, organizationId: string, userId: string): Promise<void> {
    await manager.getRepository(Membership).delete({ organizationId, userId });
  }
}
