import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { UserPrincipal } from '../auth/principal.js';
import { DomainError } from '../errors/index.js';

/** The authenticated user of a bearer-token request. */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<FastifyRequest & { user?: UserPrincipal }>();
  if (request.user?.kind !== 'user') {
    throw new DomainError('UNAUTHENTICATED', 'This route needs a user access token');
  }
  return request.user;
});
