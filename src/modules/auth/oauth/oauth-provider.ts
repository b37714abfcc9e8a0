export const OAUTH_PROVIDERS = ['github', 'google'] as const;
export type OAuthProviderName = (typeof OAUTH_PROVIDERS)[number];

export interface OAuthProviderSettings {
  clientId?: string;
  clientSecret?: string;
  authorizeUrl: string;
  tokenUrl: string;
  userInfoUrl: string;
}

/** A provider with credentials, ready for the flow. */
export type ConfiguredProvider = Required<{
  [K in keyof OAuthProviderSettings]: NonNullable<OAuthProviderSettings[K]>;
}>;

/** Who the provider says the user is. */
export interface OAuthProfile {
  providerAccountId: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

export const OAUTH_SCOPES: Record<OAuthProviderName, string> = {
  github: 'read:user user:email',
  google: 'openid email profile',
};
