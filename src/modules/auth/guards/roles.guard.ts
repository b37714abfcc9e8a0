import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { PlatformRole, Principal } from '../../../common/auth/principal.js';
import { REQUIRED_ROLES } from '../../../common/decorators/roles.decorator.js';
import { DomainError } from '../../../common/errors/index.js';

/** Global: enforces @Roles() on routes that carry it; runs after JwtAuthGuard. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<PlatformRole[] | undefined>(REQUIRED_ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles?.length) return true;
    const { user } = context.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
    if (user?.kind === 'user' && roles.includes(user.role)) return true;
    throw new DomainError('FORBIDDEN', `This route needs the platform role ${roles.join(' or ')}`);
  }
}
