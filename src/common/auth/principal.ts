export type PlatformRole = 'user' | 'admin';

export const API_KEY_SCOPES = [
  'credits:charge',
  'usage:write',
  'entitlements:read',
  'wallet:read',
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** A user calling with a bearer access token. */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  role: PlatformRole;
  /** The access token's id, for logs and revocation lists. */
  tokenId: string;
  /** The refresh token family the access token was issued with ("this session"). */
  sessionId: string;
}

/** An organization's backend calling with an `ssk_` API key. */
export interface ApiKeyPrincipal {
  kind: 'apiKey';
  keyId: string;
  organizationId: string;
  scopes: ApiKeyScope[];
}

export type Principal = UserPrincipal | ApiKeyPrincipal;
