import { DomainError } from '../../../common/errors/index.js';
import type { ConfiguredProvider, OAuthProfile, OAuthProviderName } from './oauth-provider.js';

const TIMEOUT_MS = 10_000;

interface GitHubUser {
  id: number | string;
  name?: string | null;
  login?: string;
  email?: string | null;
}
interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}
interface GoogleUser {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/** The provider-facing half of the authorization-code flow: redeem the code, read the profile. */
export class OAuthClient {
  constructor(
    private readonly provider: OAuthProviderName,
    private readonly settings: ConfiguredProvider,
  ) {}

  async exchangeCode(code: string, redirectUri: string, codeVerifier: string): Promise<string> {
    const response = await this.call(this.settings.tokenUrl, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: this.settings.clientId,
        client_secret: this.settings.clientSecret,
        code,
        redirect_uri: redirectUri,
        code_verifier: codeVerifier,
      }),
    });
    const body = (await response.json().catch(() => ({}))) as { access_token?: string };
    // Providers refuse a bad or replayed code with 4xx, or (GitHub) 200 and an error field.
    if (!response.ok || !body.access_token) {
      throw new DomainError('INVALID_TOKEN', 'The provider did not accept the authorization code');
    }
    return body.access_token;
  }

  async fetchProfile(accessToken: string): Promise<OAuthProfile> {
    if (this.provider === 'google') {
      const user = await this.getJson<GoogleUser>(this.settings.userInfoUrl, accessToken);
      return {
        providerAccountId: user.sub,
        email: user.email ?? null,
        emailVerified: user.email_verified === true,
        name: user.name ?? null,
      };
    }
    const user = await this.getJson<GitHubUser>(this.settings.userInfoUrl, accessToken);
    // GitHub says which addresses are verified only on /user/emails.
    const emails = await this.getJson<GitHubEmail[]>(
      `${this.settings.userInfoUrl}/emails`,
      accessToken,
    );
    const verified = emails.find((e) => e.primary && e.verified) ?? emails.find((e) => e.verified);
    return {
      providerAccountId: String(user.id),
      email: verified?.email ?? user.email ?? null,
      emailVerified: Boolean(verified),
      name: user.name ?? user.login ?? null,
    };
  }

  private async getJson<T>(url: string, accessToken: string): Promise<T> {
    const response = await this.call(url, {
      headers: { Accept: 'application/json', Authorization: `Bearer ${accessToken}` },
    });
    if (!response.ok)
      throw unavailable(`the ${this.provider} profile request failed (${response.status})`);
    return (await response.json()) as T;
  }

  private async call(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch {
      throw unavailable(`${this.provider} did not answer`);
    }
  }
}

const unavailable = (detail: string) =>
  new DomainError('DEPENDENCY_UNAVAILABLE', `Sign-in provider unavailable: ${detail}`);
