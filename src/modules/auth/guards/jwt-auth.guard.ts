import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { IS_PUBLIC, OPTIONAL_USER } from '../../../common/decorators/public.decorator.js';
import { DomainError } from '../../../common/errors/index.js';
import { isDatabaseUnavailable } from '../../../database/database-unavailable.js';
import { UnauthenticatedError } from '../auth.errors.js';

/**
 * Global: every route needs a valid access token (or an `ssk_` API key, which the scope and
 * organization guards then restrict) unless marked @Public().
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(['jwt', 'api-key']) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (!this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      return (await super.canActivate(context)) as boolean;
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (
      this.reflector.getAllAndOverride<boolean>(OPTIONAL_USER, targets) &&
      request.headers.authorization
    ) {
      await (super.canActivate(context) as Promise<boolean>).catch(() => false);
    }
    return true;
  }

  /** A token that could not be checked because the database is down is not a bad token. */
  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error instanceof DomainError || isDatabaseUnavailable(error)) throw error;
    if (error || !user) throw new UnauthenticatedError();
    return user;
  }
}
