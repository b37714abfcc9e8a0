export const REGIONS = ['US', 'CA', 'EU', 'GB', 'AU'] as const;
export type Region = (typeof REGIONS)[number];

/** Strongest first. */
export const MEMBER_ROLES = ['owner', 'admin', 'billing', 'member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
