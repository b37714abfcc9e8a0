import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type EntityManager, type Repository } from 'typeorm';
import { queryRecords } from '../../database/query-records.js';
import { Organization } from './entities/organization.entity.js';
import type { Region } from './tenant.types.js';

const MAX_SLUG_ATTEMPTS = 5;

@Injectable()
export class OrganizationRepository {
  constructor(
    @InjectRepository(Organization) private readonly organizations: Repository<Organization>,
  ) {}

  /**
   * Inserts with `ON CONFLICT (slug) DO NOTHING` and retries with a random suffix: a failed
   * INSERT would abort the caller's whole transaction, a skipped one does not.
   */
  async insertWithUniqueSlug(
    manager: EntityManager,
    input: { name: string; region: Region; baseSlug: string },
  ): Promise<Organization> {
    const organizations = manager.getRepository(Organization);
    for (let attempt = 0; attempt < MAX_SLUG_ATTEMPTS; attempt++) {
      const suffix = attempt === 0 ? '' : `-${randomBytes(3).toString('hex')}`;
      const result = await organizations
        .createQueryBuilder()
        .insert()
        .values({ name: input.name, region: input.region, slug: `${input.baseSlug}${suffix}` })
        .orIgnore()
        .returning(['id'])
        .execute();
      const inserted = (result.raw as { id: string }[])[0];
      if (inserted) return organizations.findOneByOrFail({ id: inserted.id });
    }
    throw new Error(
      `No free slug found for "${input.baseSlug}" after ${MAX_SLUG_ATTEMPTS} attempts`,
    );
  }

  findLive(id: string, manager?: EntityManager): Promise<Organization | null> {
    return (manager?.getRepository(Organization) ?? this.organizations).findOneBy({
      id,
      deletedAt: IsNull(),
    });
  }

  findLiveByIds(ids: string[]): Promise<Organization[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.organizations
      .createQueryBuilder('o')
      .where('o.id IN (:...ids) AND o.deleted_at IS NULL', { ids })
      .getMany();
  }

  /**
   * Locks a live organization's row for the rest of the transaction. Every membership change
   * takes it first, so two of them (two owners demoting each other, say) cannot both pass the
   * "another owner remains" check. False when the organization is gone.
   */
  async lockLive(manager: EntityManager, id: string): Promise<boolean> {
    const rows = await queryRecords<{ id: string }>(
      manager,
      'SELECT id FROM organizations WHERE id = $1 AND deleted_at IS NULL FOR UPDATE',
      [id],
    );
    return rows.length === 1;
  }

  async update(
    manager: EntityManager,
    id: string,
    patch: Partial<Pick<Organization, 'name' | 'region'>>,
  ): Promise<void> {
    await manager.getRepository(Organization).update({ id }, patch);
  }

  async softDelete(manager: EntityManager, id: string): Promise<void> {
    await manager
      .getRepository(Organization)
      .update({ id, deletedAt: IsNull() }, { deletedAt: new Date() });
  }

  countLive(): Promise<number> {
    return this.organizations.countBy({ deletedAt: IsNull() });
  }

  /** Live organizations, newest first, by part of their name or slug (admin API). */
  search(
    search: string | undefined,
    page: { limit: number; offset: number },
  ): Promise<[Organization[], number]> {
    const query = this.organizations.createQueryBuilder('org').where('org.deletedAt IS NULL');
    if (search) {
      query.andWhere('(org.name ILIKE :pattern OR org.slug ILIKE :pattern)', {
        pattern: `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    }
    return query
      .orderBy('org.createdAt', 'DESC')
      .take(page.limit)
      .skip(page.offset)
      .getManyAndCount();
  }
}
