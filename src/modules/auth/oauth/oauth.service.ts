import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../../common/errors/index.js';
import type { ClientInfo } from '../../../common/http/client-info.js';
import { appConfig } from '../../../config/app.config.js';
import { oauthConfig } from '../../../config/oauth.config.js';
import { TransactionRunner } from '../../../database/transaction.runner.js';
import { TenantService } from '../../tenant/tenant.service.js';
import { LoginHistoryService } from '../../user/login-history.service.js';
import { UserService } from '../../user/user.service.js';
import { AccountCreationService } from '../account-creation.service.js';
import { AuthService } from '../auth.service.js';
import type { LoginResponseDto } from '../dto/auth-response.dto.js';
import { MfaChallengeService } from '../mfa-challenge.service.js';
import { MfaRepository } from '../mfa.repository.js';
import { SessionService } from '../session.service.js';
import { hashToken, newOpaqueToken } from '../../../common/crypto/opaque-token.js';
import { secretEquals } from '../../../common/crypto/secret-equal.js';
import { OAuthClient } from './oauth-client.js';
import {
  OAUTH_PROVIDERS,
  OAUTH_SCOPES,
  type ConfiguredProvider,
  type OAuthProfile,
  type OAuthProviderName,
} from './oauth-provider.js';
import { OAuthRepository } from './oauth.repository.js';

const STATE_TTL_MS = 10 * 60 * 1000;

const invalidState = () =>
  new DomainError(
    'INVALID_TOKEN',
    'This sign-in link is unknown, already used or expired; start again',
  );

/**
 * GitHub and Google sign-in: authorization code flow with `state` and PKCE (S256). A first login
 * creates the account; later ones find it by the provider's account id. An existing account with
 * the same email is linked only when the provider vouches for the address.
 */
@Injectable()
export class OAuthService {
  constructor(
    @Inject(oauthConfig.KEY) private readonly config: ConfigType<typeof oauthConfig>,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    private readonly repository: OAuthRepository,
    private readonly users: UserService,
    private readonly accounts: AccountCreationService,
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
    private readonly challenges: MfaChallengeService,
    private readonly mfa: MfaRepository,
    private readonly tenants: TenantService,
    private readonly history: LoginHistoryService,
    private readonly transactions: TransactionRunner,
  ) {}

  /**
   * The provider's consent page for a new sign-in attempt, and its `state`: the controller also
   * hands that to the browser in an HttpOnly cookie, which the callback must bring back.
   */
  async authorizationUrl(provider: string): Promise<{ url: string; state: string }> {
    const { name, settings } = this.configured(provider);
    const state = newOpaqueToken();
    const codeVerifier = randomBytes(32).toString('base64url');
    await this.repository.saveState({
      stateHash: hashToken(state),
      provider: name,
      codeVerifier,
      expiresAt: new Date(Date.now() + STATE_TTL_MS),
    });
    const url = new URL(settings.authorizeUrl);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: settings.clientId,
      redirect_uri: this.redirectUri(name),
      scope: OAUTH_SCOPES[name],
      state,
      code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    return { url: url.toString(), state };
  }

  /**
   * Completes the flow: redeems the code, finds or creates the user and starts a session, or
   * answers MFA_REQUIRED with a challenge when the account has TOTP (the provider is one factor).
   */
  async completeSignIn(
    provider: string,
    code: string,
    state: string,
    browserState: string | undefined,
    client: ClientInfo,
  ): Promise<LoginResponseDto> {
    const { name, settings } = this.configured(provider);
    // Login CSRF: a callback URL made in someone else's browser carries their state, not ours.
    if (!browserState || !secretEquals(browserState, state)) {
      throw new DomainError(
        'INVALID_TOKEN',
        'This sign-in was started in another browser (or its cookie is gone); start again',
      );
    }
    const codeVerifier = await this.repository.consumeState(hashToken(state), name);
    if (!codeVerifier) throw invalidState();
    const oauth = new OAuthClient(name, settings);
    const profile = await oauth.fetchProfile(
      await oauth.exchangeCode(code, this.redirectUri(name), codeVerifier),
    );
    const user = await this.transactions.run(async (manager) => {
      const userId = await this.resolveUser(manager, name, profile);
      return (await this.auth.assertActive(userId, manager)).profile;
    });
    await this.challenges.demandIfEnabled(user, name, client);
    const tokens = await this.transactions.run((manager) =>
      this.sessions.start(manager, user.id, client),
    );
    await this.history.record({
      userId: user.id,
      email: user.email,
      outcome: 'success',
      method: name,
      client,
    });
    return { user, tokens };
  }

  private async resolveUser(
    manager: EntityManager,
    provider: OAuthProviderName,
    profile: OAuthProfile,
  ): Promise<string> {
    const linked = await this.repository.findAccount(manager, provider, profile.providerAccountId);
    if (linked) return linked.userId;
    if (!profile.email) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `Your ${provider} account shares no email address; add one there`,
      );
    }
    const existing = await this.users.findAccountByEmail(profile.email, manager);
    let userId: string;
    if (existing) {
      // Never hand an account to whoever merely typed its address into another service.
      if (!profile.emailVerified || existing.isDeleted) {
        throw new DomainError(
          'EMAIL_TAKEN',
          `An account with this email exists; sign in with its password to link ${provider}`,
        );
      }
      userId = existing.profile.id;
      if (!existing.profile.emailVerified)
        await this.claimUnverifiedAccount(manager, userId, profile.email);
    } else {
      const created = await this.accounts.create(manager, {
        email: profile.email,
        passwordHash: null,
        fullName: profile.name?.slice(0, 100) ?? null,
        emailVerified: profile.emailVerified,
      });
      userId = created.user.id;
    }
    await this.repository.link(manager, {
      provider,
      providerAccountId: profile.providerAccountId,
      userId,
      email: profile.email,
    });
    return userId;
  }

  /**
   * The provider proved the address; whoever registered it without verifying did not, and may
   * be a squatter. Every way in they could have set up goes before the owner is let in: the
   * password, other linked providers, the MFA factor, sessions, the API keys the account
   * created and the invitations it sent.
   */
  private async claimUnverifiedAccount(
    manager: EntityManager,
    userId: string,
    email: string,
  ): Promise<void> {
    await this.users.markEmailVerified(manager, userId, email);
    await this.users.setPasswordHash(manager, userId, null);
    await this.repository.unlinkAll(manager, userId);
    await this.mfa.remove(manager, userId);
    await this.sessions.revokeAll(manager, userId, 'credentials_changed');
    await this.tenants.revokeWhatUserIssued(manager, userId);
  }

  private configured(provider: string): { name: OAuthProviderName; settings: ConfiguredProvider } {
    const name = OAUTH_PROVIDERS.find((candidate) => candidate === provider);
    const settings = name ? this.config[name] : undefined;
    if (!name || !settings?.clientId || !settings.clientSecret) {
      throw new DomainError('NOT_FOUND', `Sign-in with ${provider} is not available`);
    }
    return {
      name,
      settings: { ...settings, clientId: settings.clientId, clientSecret: settings.clientSecret },
    };
  }

  /** Where the state cookie lives: the callback's path under APP_URL (which may have one). */
  callbackPath(provider: string): string {
    return new URL(this.redirectUri(this.configured(provider).name)).pathname;
  }

  private redirectUri(provider: OAuthProviderName): string {
    return `${this.app.appUrl}/v1/auth/oauth/${provider}/callback`;
  }
}
