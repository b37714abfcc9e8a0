import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC } from '../../../common/decorators/public.decorator.js';
import type { Principal } from '../../../common/auth/principal.js';
import type { RequestWithOrg } from '../../../common/decorators/org-context.decorator.js';
import {
  hasOrgRole,
  type OrgRoleName,
  REQUIRED_ORG_ROLE,
} from '../../../common/decorators/org-role.decorator.js';
import { DomainError } from '../../../common/errors/index.js';
import { TenantService } from '../../tenant/tenant.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const notFound = () => new DomainError('NOT_FOUND', 'No such organization');

/**
 * Global, for every route with an `:orgId` parameter: resolves the caller's membership first.
 * Outsiders (users who are not members, API keys of other organizations) get 404 for the
 * organization and everything under it, never 403 and never data. Members below the route's
 * @OrgRole() (member by default) get 403.
 */
@Injectable()
export class OrgRoleGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tenants: TenantService,
  ) {}

  /** Public routes (the admin API's, behind its own key) do not act as a member. */
  private isPublic(context: ExecutionContext): boolean {
    return Boolean(
      this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
        context.getHandler(),
        context.getClass(),
      ]),
    );
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithOrg & { user?: Principal }>();
    const organizationId = (request.params as Record<string, string | undefined>).orgId;
    if (organizationId === undefined || this.isPublic(context)) return true;
    const principal = request.user;
    if (!principal || !UUID.test(organizationId)) throw notFound();

    if (principal.kind === 'apiKey') {
      if (principal.organizationId !== organizationId) throw notFound();
      request.org = { organizationId, role: null };
      return true;
    }
    const role = await this.tenants.findRole(organizationId, principal.userId);
    if (!role) throw notFound();
    const required =
      this.reflector.getAllAndOverride<OrgRoleName | undefined>(REQUIRED_ORG_ROLE, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'member';
    if (!hasOrgRole(role, required)) {
      throw new DomainError(
        'FORBIDDEN',
        `This needs the ${required} role or a stronger one in the organization`,
      );
    }
    request.org = { organizationId, role };
    return true;
  }
}
