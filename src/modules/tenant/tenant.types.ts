import { ORG_ROLES, type OrgRoleName } from '../../common/decorators/org-role.decorator.js';

export const REGIONS = ['US', 'CA', 'EU', 'GB', 'AU'] as const;
export type Region = (typeof REGIONS)[number];

/** Strongest first. */
export const MEMBER_ROLES = ORG_ROLES;
export type MemberRole = OrgRoleName;
