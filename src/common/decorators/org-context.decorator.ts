import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { OrgRoleName } from './org-role.decorator.js';

/** The organization a request under /organizations/:orgId acts on, as OrgRoleGuard resolved it. */
export interface OrgContext {
  organizationId: string;
  /** The calling user's role; null when an API key calls. */
  role: OrgRoleName | null;
}

export type RequestWithOrg = FastifyRequest & { org?: OrgContext };

export const Org = createParamDecorator((_: unknown, context: ExecutionContext): OrgContext => {
  const org = context.switchToHttp().getRequest<RequestWithOrg>().org;
  if (!org) throw new Error('@Org() used on a route without :orgId');
  return org;
});
