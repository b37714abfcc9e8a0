import type { EntityManager } from 'typeorm';
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { hashToken } from '../../common/crypto/opaque-token.js';
import type { ApiKeyPrincipal } from '../../common/auth/principal.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { AuditService } from '../audit/audit.service.js';
import { ApiKeyRepository } from './api-key.repository.js';
import type {
  ApiKeyResponseDto,
  CreateApiKeyDto,
  CreatedApiKeyResponseDto,
} from './dto/api-key.dto.js';
import type { ApiKey } from './entities/api-key.entity.js';
import { OrganizationNotFoundError } from './tenant.errors.js';

export const API_KEY_PREFIX = 'ssk_';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const VISIBLE_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;

/** 32 random bytes in base62 (43 characters, left-padded so every key has the same length). */
function newKey(): string {
  let value = BigInt(`0x${randomBytes(32).toString('hex')}`);
  let digits = '';
  while (value > 0n) {
    digits = BASE62[Number(value % 62n)] + digits;
    value /= 62n;
  }
  return API_KEY_PREFIX + digits.padStart(43, '0');
}

@Injectable()
export class ApiKeyService {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
  ) {}

  /** The key is in this response only; we keep its hash. */
  create(
    actorId: string,
    organizationId: string,
    input: CreateApiKeyDto,
  ): Promise<CreatedApiKeyResponseDto> {
    const key = newKey();
    return this.transactions.run(async (manager) => {
      const created = await this.keys.insert(manager, {
        organizationId,
        name: input.name,
        prefix: key.slice(0, VISIBLE_PREFIX_LENGTH),
        keyHash: hashToken(key),
        scopes: input.scopes,
        createdBy: actorId,
      });
      await this.audit.record(manager, {
        entityType: 'API_KEY',
        entityId: created.id,
        action: 'CREATE',
        actor: { type: 'USER', id: actorId },
        changes: { scopes: { from: null, to: input.scopes } },
        metadata: { organizationId, name: input.name, prefix: created.prefix },
      });
      return { ...toApiKeyResponse(created), key };
    });
  }

  async list(organizationId: string): Promise<ApiKeyResponseDto[]> {
    return (await this.keys.listOfOrganization(organizationId)).map(toApiKeyResponse);
  }

  revoke(actorId: string, organizationId: string, keyId: string): Promise<void> {
    return this.transactions.run(async (manager) => {
      const revoked = await this.keys.revoke(manager, organizationId, keyId);
      if (!revoked) throw new OrganizationNotFoundError('API key');
      await this.audit.record(manager, {
        entityType: 'API_KEY',
        entityId: keyId,
        action: 'REVOKE',
        actor: { type: 'USER', id: actorId },
        changes: { revokedAt: { from: null, to: revoked.revokedAt?.toISOString() } },
        metadata: { organizationId },
      });
    });
  }

  /**
   * Revokes every key `userId` created, inside the caller's transaction, each audited with
   * `reason` (an account claimed by the owner of its address keeps nothing its squatter made).
   */
  async revokeCreatedBy(manager: EntityManager, userId: string, reason: string): Promise<void> {
    for (const key of await this.keys.revokeCreatedBy(manager, userId)) {
      await this.audit.record(manager, {
        entityType: 'API_KEY',
        entityId: key.id,
        action: 'REVOKE',
        actor: { type: 'SYSTEM', id: reason },
        changes: { revokedAt: { from: null, to: new Date().toISOString() } },
        metadata: { organizationId: key.organizationId, createdBy: userId },
      });
    }
  }

  /** The organization behind a presented key; null for unknown, revoked or orphaned keys. */
  async authenticate(key: string): Promise<ApiKeyPrincipal | null> {
    if (!key.startsWith(API_KEY_PREFIX)) return null;
    const found = await this.keys.findUsableByHash(hashToken(key));
    if (!found) return null;
    await this.keys.touch(found.id);
    return {
      kind: 'apiKey',
      keyId: found.id,
      organizationId: found.organizationId,
      scopes: found.scopes,
    };
  }
}

function toApiKeyResponse(key: ApiKey): ApiKeyResponseDto {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    createdAt: key.createdAt.toISOString(),
  };
}
