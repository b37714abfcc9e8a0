import { randomInt } from 'node:crypto';
import { generate } from 'otplib';
import { DataSource } from 'typeorm';
import { createApiKey } from '../factories/organization.factory.js';
import { enableMfa, registerUser, uniqueEmail } from '../factories/user.factory.js';
import { tokenFromLink } from '../support/smtp-capture.js';
import { OAuthProviderStub, type StubIdentity } from '../support/oauth-provider-stub.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const bearer = { type: 'bearer' } as const;

const expect401 = async (request: PromiseLike<{ status: number }>) =>
  expect((await request).status).toBe(401);

describe('GitHub and Google sign-in (e2e)', () => {
  let t: TestApp;
  let provider: OAuthProviderStub;

  beforeAll(async () => {
    provider = await new OAuthProviderStub().start();
    t = await createTestApp(provider.env());
  });
  afterAll(async () => {
    await t.close();
    await provider.stop();
  });

  const identity = (overrides: Partial<StubIdentity> = {}): StubIdentity => ({
    id: String(randomInt(1, 2 ** 40)),
    email: uniqueEmail('oauth'),
    emailVerified: true,
    name: 'Octo Cat',
    ...overrides,
  });

  /** A browser's first step: our redirect to the provider, and the state cookie it keeps. */
  async function startFlow(name: 'github' | 'google') {
    const start = await t.http.get(`/v1/auth/oauth/${name}`).expect(302);
    const location = start.headers.location;
    const cookie = (start.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    return { location, state: new URL(location).searchParams.get('state')!, cookie };
  }

  /** The browser's round trip: our redirect, the provider's consent, the callback. */
  async function signIn(
    name: 'github' | 'google',
    who: StubIdentity,
    status: number,
    extra: Record<string, string> = {},
  ) {
    const { location, state, cookie } = await startFlow(name);
    const code = provider.consent(location, who);
    return t.http
      .get(`/v1/auth/oauth/${name}/callback`)
      .set('Cookie', cookie)
      .query({ code, state, ...extra })
      .expect(status);
  }

  it('redirects to the provider with state and an S256 PKCE challenge', async () => {
    const response = await t.http.get('/v1/auth/oauth/github').expect(302);
    const url = new URL(response.headers.location);
    expect(url.pathname).toBe('/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: provider.clientId,
      redirect_uri: 'http://localhost:3000/v1/auth/oauth/github/callback',
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
  });

  it.each(['github', 'google'] as const)(
    '%s: a first login creates a verified user with an organization',
    async (name) => {
      const who = identity();
      const response = await signIn(name, who, 200);
      expect(response.body.user).toMatchObject({
        email: who.email,
        emailVerified: true,
        fullName: 'Octo Cat',
      });
      const me = await t.http
        .get('/v1/auth/me')
        .auth(response.body.tokens.accessToken, { type: 'bearer' })
        .expect(200);
      expect(me.body.organizations).toEqual([expect.objectContaining({ role: 'owner' })]);
      const history = await t.http
        .get('/v1/users/me/login-history')
        .auth(response.body.tokens.accessToken, { type: 'bearer' })
        .expect(200);
      expect(history.body.data[0]).toMatchObject({ success: true, method: name });
    },
  );

  it('accepts and ignores the parameters Google adds to the callback (scope, authuser, prompt, iss)', async () => {
    const response = await signIn('google', identity(), 200, {
      scope: 'openid email profile',
      authuser: '0',
      prompt: 'consent',
      iss: 'https://accounts.google.com',
    });
    expect(response.body.tokens.accessToken).toEqual(expect.any(String));
    const unknown = await signIn('google', identity(), 400, { surprise: '1' });
    expect(unknown.body.code).toBe('VALIDATION_FAILED');
  });

  it('a later login finds the same user by the provider account id, even after an email change there', async () => {
    const who = identity();
    const first = await signIn('github', who, 200);
    const again = await signIn('github', { ...who, email: uniqueEmail('changed') }, 200);
    expect(again.body.user.id).toBe(first.body.user.id);
  });

  it('a callback URL works once: its state is spent', async () => {
    const { location, state, cookie } = await startFlow('google');
    const who = identity();
    const callback = () =>
      t.http
        .get('/v1/auth/oauth/google/callback')
        .set('Cookie', cookie)
        .query({ code: provider.consent(location, who), state });
    const first = await callback().expect(200);
    expect(first.headers['set-cookie']?.[0]).toMatch(/^oauth_state=;.*Expires=Thu, 01 Jan 1970/);
    const replay = await callback().expect(400);
    expect(replay.body.code).toBe('INVALID_TOKEN');
  });

  it('sets the state cookie HttpOnly, SameSite=Lax, for the callback path only', async () => {
    const start = await t.http.get('/v1/auth/oauth/github').expect(302);
    const [cookie] = start.headers['set-cookie'] as unknown as string[];
    expect(cookie).toContain(
      `oauth_state=${new URL(start.headers.location).searchParams.get('state')}`,
    );
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\/v1\/auth\/oauth\/github\/callback/);
  });

  it('refuses a callback URL opened in a browser that did not start it (login CSRF)', async () => {
    // The attacker consents with their own account and sends the victim the callback URL.
    const attacker = await startFlow('github');
    const code = provider.consent(attacker.location, identity());
    const victim = await startFlow('github');
    const callback = () =>
      t.http.get('/v1/auth/oauth/github/callback').query({ code, state: attacker.state });
    const withOwnCookie = await callback().set('Cookie', victim.cookie).expect(400);
    expect(withOwnCookie.body.code).toBe('INVALID_TOKEN');
    await callback().expect(400);
  });

  it('refuses a state issued for the other provider, and an unknown state', async () => {
    const { location, state, cookie } = await startFlow('github');
    const code = provider.consent(location, identity());
    await t.http
      .get('/v1/auth/oauth/google/callback')
      .set('Cookie', cookie)
      .query({ code, state })
      .expect(400);
    await t.http
      .get('/v1/auth/oauth/github/callback')
      .set('Cookie', 'oauth_state=made-up')
      .query({ code, state: 'made-up' })
      .expect(400);
  });

  it('links an existing account when the provider has verified the same email', async () => {
    const existing = await registerUser(t.http);
    const response = await signIn('google', identity({ email: existing.email }), 200);
    expect(response.body.user).toMatchObject({ id: existing.userId, emailVerified: true });
  });

  it('claims an unverified account for the verified owner: the unproven password and its sessions end', async () => {
    const squatter = await registerUser(t.http);
    await signIn('google', identity({ email: squatter.email }), 200);
    await t.http
      .post('/v1/auth/login')
      .send({ email: squatter.email, password: squatter.password })
      .expect(401);
    await t.http.post('/v1/auth/refresh').send({ refreshToken: squatter.refreshToken }).expect(401);
  });

  it('claiming an account leaves its squatter no way back in: providers, MFA, sessions, keys, invitations', async () => {
    // The squatter verifies an address of their own, links GitHub, enables MFA, creates an API
    // key and invites a friend, then moves the account to the victim's address (unverified).
    const squatter = await registerUser(t.http);
    const verifyLink = await t.mail.waitFor(squatter.email, /Confirm your email/);
    await t.http
      .post('/v1/auth/verify-email')
      .send({ token: tokenFromLink(verifyLink, '/verify-email') })
      .expect(200);
    const squattersGithub = identity({ email: squatter.email });
    await signIn('github', squattersGithub, 200);
    await enableMfa(t.http, squatter.accessToken);
    const key = await createApiKey(t.http, squatter, ['wallet:read']);
    const friend = uniqueEmail('friend');
    await t.http
      .post(`/v1/organizations/${squatter.organizationId}/invitations`)
      .auth(squatter.accessToken, bearer)
      .send({ email: friend, role: 'admin' })
      .expect(201);
    const victimEmail = uniqueEmail('victim');
    await t.http
      .put('/v1/users/me/email')
      .auth(squatter.accessToken, bearer)
      .send({ newEmail: victimEmail, password: squatter.password })
      .expect(200);
    const wallet = `/v1/organizations/${squatter.organizationId}/wallet`;
    await t.http.get(wallet).auth(key.key, bearer).expect(200);

    const victim = await signIn('google', identity({ email: victimEmail }), 200);
    expect(victim.body.user.id).toBe(squatter.userId);

    await t.http.get(wallet).auth(key.key, bearer).expect(401);
    await expect401(t.http.get('/v1/auth/me').auth(squatter.accessToken, bearer));
    const pending = await t.http
      .get(`/v1/organizations/${squatter.organizationId}/invitations`)
      .auth(victim.body.tokens.accessToken, bearer)
      .expect(200);
    expect(pending.body).toEqual([]);
    const again = await signIn('github', squattersGithub, 200);
    expect(again.body.user.id).not.toBe(squatter.userId);
    const factors = await t.app
      .get(DataSource)
      .query('SELECT 1 FROM mfa_factors WHERE user_id = $1', [squatter.userId]);
    expect(factors).toEqual([]);
  });

  it('an account with MFA answers the callback with MFA_REQUIRED; the challenge and a code sign in', async () => {
    const who = identity();
    const first = await signIn('github', who, 200);
    const { secret } = await enableMfa(t.http, first.body.tokens.accessToken);
    const required = await signIn('github', who, 401);
    expect(required.body).toMatchObject({ code: 'MFA_REQUIRED' });
    expect(required.body.tokens).toBeUndefined();
    const verify = (code: string) =>
      t.http.post('/v1/auth/mfa/verify').send({ mfaToken: required.body.mfaToken, code });
    await verify('000000').expect(401);
    const next = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    const done = await verify(next).expect(200);
    expect(done.body.user.id).toBe(first.body.user.id);
    await t.http.get('/v1/auth/me').auth(done.body.tokens.accessToken, bearer).expect(200);
  });

  it('never takes over an existing account with an email the provider has not verified', async () => {
    const existing = await registerUser(t.http);
    const response = await signIn(
      'google',
      identity({ email: existing.email, emailVerified: false }),
      409,
    );
    expect(response.body.code).toBe('EMAIL_TAKEN');
    const links = await t.app
      .get(DataSource)
      .query('SELECT id FROM oauth_accounts WHERE user_id = $1', [existing.userId]);
    expect(links).toEqual([]);
  });

  it('creates an unverified user, with a verification mail, when the provider has not verified the email', async () => {
    const who = identity({ emailVerified: false });
    const response = await signIn('google', who, 200);
    expect(response.body.user.emailVerified).toBe(false);
    await t.mail.waitFor(who.email!, /Confirm your email/);
  });

  it('asks for an email when GitHub shares no verified address', async () => {
    const response = await signIn('github', identity({ emailVerified: false }), 400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a suspended user', async () => {
    const who = identity();
    const first = await signIn('github', who, 200);
    await t.app
      .get(DataSource)
      .query(`UPDATE users SET status = 'suspended' WHERE id = $1`, [first.body.user.id]);
    const response = await signIn('github', who, 403);
    expect(response.body.code).toBe('ACCOUNT_SUSPENDED');
  });

  it('answers 404 for a provider it does not know', async () => {
    const response = await t.http.get('/v1/auth/oauth/facebook').expect(404);
    expect(response.body.code).toBe('NOT_FOUND');
  });

  it('answers 400 naming the field when the callback lacks code or state', async () => {
    const response = await t.http
      .get('/v1/auth/oauth/github/callback')
      .query({ code: 'x' })
      .expect(400);
    expect(response.body.errors[0].field).toBe('state');
  });
});

describe('OAuth state cookie over https (e2e)', () => {
  let t: TestApp;
  let provider: OAuthProviderStub;

  beforeAll(async () => {
    provider = await new OAuthProviderStub().start();
    t = await createTestApp({ ...provider.env(), APP_URL: 'https://app.example.com' });
  });
  afterAll(async () => {
    await t.close();
    await provider.stop();
  });

  it('is __Host- prefixed, Secure, Path=/: a sibling subdomain cannot plant one', async () => {
    const start = await t.http.get('/v1/auth/oauth/github').expect(302);
    const location = start.headers.location;
    const [cookie] = start.headers['set-cookie'] as unknown as string[];
    expect(cookie).toMatch(/^__Host-oauth_state=[\w-]{43}; /);
    expect(cookie).toMatch(/; Path=\/(;|$)/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).not.toMatch(/Domain=/i);
    const state = new URL(location).searchParams.get('state')!;
    const code = provider.consent(location, {
      id: String(randomInt(1, 2 ** 40)),
      email: uniqueEmail('https'),
      emailVerified: true,
      name: 'Octo Cat',
    });
    const callback = () => t.http.get('/v1/auth/oauth/github/callback').query({ code, state });
    await callback().set('Cookie', `oauth_state=${state}`).expect(400);
    await callback().set('Cookie', cookie.split(';')[0]).expect(200);
  });
});

describe('OAuth sign-in without provider credentials (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each(['github', 'google'])('%s answers 404', async (name) => {
    const response = await t.http.get(`/v1/auth/oauth/${name}`).expect(404);
    expect(response.body.code).toBe('NOT_FOUND');
  });
});
