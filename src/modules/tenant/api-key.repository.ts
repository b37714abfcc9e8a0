import { queryRecords } from '../../database/query-records.js';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type EntityManager, type Repository } from 'typeorm';
import { ApiKey } from './entities/api-key.entity.js';

export type NewApiKey = Pick<
  ApiKey,
  'organizationId' | 'name' | 'prefix' | 'keyHash' | 'scopes' | 'createdBy'
>;

@Injectable()
export class ApiKeyRepository {
  constructor(@InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>) {}

  insert(manager: EntityManager, key: NewApiKey): Promise<ApiKey> {
    const repository = manager.getRepository(ApiKey);
    return repository.save(repository.create(key));
  }

  listOfOrganization(organizationId: string): Promise<ApiKey[]> {
    return this.keys.find({ where: { organizationId }, order: { createdAt: 'DESC' } });
  }

  async revoke(manager: EntityManager, organizationId: string, id: string): Promise<ApiKey | null> {
    const result = await manager
      .getRepository(ApiKey)
      .update({ id, organizationId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return result.affected ? manager.getRepository(ApiKey).findOneBy({ id }) : null;
  }

  /** Revokes every live key that `userId` created, in any organization; returns them. */
  async revokeCreatedBy(
    manager: EntityManager,
    userId: string,
  ): Promise<Pick<ApiKey, 'id' | 'organizationId'>[]> {
    const rows = await queryRecords<{ id: string; organization_id: string }>(
      manager,
      `UPDATE api_keys SET revoked_at = now() WHERE created_by = $1 AND revoked_at IS NULL
       RETURNING id, organization_id`,
      [userId],
    );
    return rows.map((row) => ({ id: row.id, organizationId: row.organization_id }));
  }

  /** A key that is neither revoked nor of a deleted organization. */
  findUsableByHash(keyHash: string): Promise<ApiKey | null> {
    return this.keys
      .createQueryBuilder('k')
      .innerJoin('organizations', 'o', 'o.id = k.organization_id AND o.deleted_at IS NULL')
      .where('k.key_hash = :keyHash AND k.revoked_at IS NULL', { keyHash })
      .getOne();
  }

  /** Records use at most once a minute per key, so a busy key does not write on every request. */
  async touch(id: string): Promise<void> {
    await this.keys
      .createQueryBuilder()
      .update()
      .set({ lastUsedAt: () => 'now()' })
      .where(`id = :id AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, {
        id,
      })
      .execute();
  }
}
