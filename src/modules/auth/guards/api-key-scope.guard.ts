import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { ApiKeyScope, Principal } from '../../../common/auth/principal.js';
import { REQUIRED_SCOPES } from '../../../common/decorators/api-key.decorator.js';
import { DomainError } from '../../../common/errors/index.js';

/**
 * Global, after OrgRoleGuard: an API key may call only routes marked @RequireScopes(), and only
 * with every scope the route lists. User tokens pass through untouched.
 */
@Injectable()
export class ApiKeyScopeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const { user } = context.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
    if (user?.kind !== 'apiKey') return true;
    const required = this.reflector.getAllAndOverride<ApiKeyScope[] | undefined>(REQUIRED_SCOPES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required)
      throw new DomainError('FORBIDDEN', 'API keys cannot call this route; use a user token');
    const missing = required.filter((scope) => !user.scopes.includes(scope));
    if (missing.length > 0)
      throw new DomainError('FORBIDDEN', `This API key lacks the scope ${missing.join(', ')}`);
    return true;
  }
}
