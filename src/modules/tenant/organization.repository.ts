import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Organization } from './entities/organization.entity.js';
import type { Region } from './tenant.types.js';

const MAX_SLUG_ATTEMPTS = 5;

@Injectable()
export class OrganizationRepository {
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
      const slug = `${input.baseSlug}${suffix}`;
      const result = await organizations
        .createQueryBuilder()
        .insert()
        .values({ name: input.name, region: input.region, slug })
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
}
