import { createHash } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { FastifyRequest } from 'fastify';
import { secretEquals } from '../../common/crypto/secret-equal.js';
import { DomainError } from '../../common/errors/index.js';
import { operationsConfig } from '../../config/operations.config.js';

/** Who an admin call came from, for the audit log: never the key, only its fingerprint. */
export interface AdminCaller {
  fingerprint: string;
}

export type AdminRequest = FastifyRequest & { admin?: AdminCaller };

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

/**
 * `/v1/admin/*`: the operators' `X-API-Key`, compared in constant time with INTERNAL_API_KEY
 * (both are hashed first, so neither their content nor their length leaks through timing). A
 * user's bearer token is never enough. No key configured: 503, the admin API is off.
 */
@Injectable()
export class InternalApiKeyGuard implements CanActivate {
  constructor(
    @Inject(operationsConfig.KEY) private readonly config: ConfigType<typeof operationsConfig>,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.internalApiKey;
    if (!expected) {
      throw new DomainError(
        'ADMIN_API_NOT_CONFIGURED',
        'The admin API is off: INTERNAL_API_KEY is not set',
      );
    }
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const given = request.headers['x-api-key'];
    if (typeof given !== 'string' || !secretEquals(given, expected)) {
      throw new DomainError('UNAUTHENTICATED', 'A valid X-API-Key header is required');
    }
    request.admin = { fingerprint: `key:${digest(given).toString('hex').slice(0, 16)}` };
    return true;
  }
}
