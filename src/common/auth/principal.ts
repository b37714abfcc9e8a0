export type PlatformRole = 'user' | 'admin';

/** Who is calling, as the authentication guard resolved it. */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  role: PlatformRole;
  /** The access token's id, for logs and revocation lists. */
  tokenId: string;
}

export type Principal = UserPrincipal;
