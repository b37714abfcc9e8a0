import { SetMetadata } from '@nestjs/common';

/** Strongest first (API.md). */
export const ORG_ROLES = ['owner', 'admin', 'billing', 'member'] as const;
export type OrgRoleName = (typeof ORG_ROLES)[number];

export const REQUIRED_ORG_ROLE = 'auth:orgRole';

/**
 * The weakest member role a route under /organizations/:orgId accepts. Routes without it
 * accept any member; callers outside the organization get 404 either way (OrgRoleGuard).
 */
export const OrgRole = (role: OrgRoleName): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_ORG_ROLE, role);

/** True when `role` is at least as strong as `required`. */
export function hasOrgRole(role: OrgRoleName, required: OrgRoleName): boolean {
  return ORG_ROLES.indexOf(role) <= ORG_ROLES.indexOf(required);
}
