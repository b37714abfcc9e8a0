import { generate } from 'otplib';
import { registerUser, uniqueEmail, type RegisteredUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const login = (t: TestApp, body: object) => t.http.post('/v1/auth/login').send(body);

describe('TOTP MFA (e2e)', () => {
  let t: TestApp;
  let user: RegisteredUser;
  let secret: string;
  let recoveryCodes: string[];
  const bearer = () => ({ type: 'bearer' as const });
  /** A code for the 30-second step `offset` steps from now (each step is accepted once). */
  const codeAt = (offset: number) =>
    generate({ secret, epoch: Math.floor(Date.now() / 1000) + offset * 30 });

  beforeAll(async () => {
    t = await createTestApp();
    user = await registerUser(t.http);
  });
  afterAll(() => t.close());

  it('setup returns a secret and an otpauth:// URL', async () => {
    const response = await t.http
      .post('/v1/auth/mfa/setup')
      .auth(user.accessToken, bearer())
      .expect(200);
    secret = response.body.secret;
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(response.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/.+secret=/);
    expect(decodeURIComponent(response.body.otpauthUrl)).toContain(user.email);
  });

  it('enable refuses a wrong code with 400 INVALID_MFA_CODE', async () => {
    const response = await t.http
      .post('/v1/auth/mfa/enable')
      .auth(user.accessToken, bearer())
      .send({ code: '000000' })
      .expect(400);
    expect(response.body.code).toBe('INVALID_MFA_CODE');
  });

  it('enable with a valid code returns ten recovery codes', async () => {
    const response = await t.http
      .post('/v1/auth/mfa/enable')
      .auth(user.accessToken, bearer())
      .send({ code: await codeAt(-1) })
      .expect(200);
    recoveryCodes = response.body.recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    recoveryCodes.forEach((code) => expect(code).toMatch(/^[A-Z2-7]{5}-[A-Z2-7]{5}$/));
  });

  it('setup again is refused while MFA is on', async () => {
    const response = await t.http
      .post('/v1/auth/mfa/setup')
      .auth(user.accessToken, bearer())
      .expect(409);
    expect(response.body.code).toBe('CONFLICT');
  });

  it('login without a code answers 401 MFA_REQUIRED, with a wrong one INVALID_CREDENTIALS', async () => {
    const missing = await login(t, { email: user.email, password: user.password }).expect(401);
    expect(missing.body.code).toBe('MFA_REQUIRED');
    const wrong = await login(t, {
      email: user.email,
      password: user.password,
      mfaCode: '123456',
    }).expect(401);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('accepts a valid code once: the same code replayed is refused', async () => {
    const code = await codeAt(0);
    await login(t, { email: user.email, password: user.password, mfaCode: code }).expect(200);
    const replay = await login(t, {
      email: user.email,
      password: user.password,
      mfaCode: code,
    }).expect(401);
    expect(replay.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('accepts each recovery code exactly once', async () => {
    const [code] = recoveryCodes;
    await login(t, {
      email: user.email,
      password: user.password,
      mfaCode: code.toLowerCase(),
    }).expect(200);
    await login(t, { email: user.email, password: user.password, mfaCode: code }).expect(401);
    await login(t, {
      email: user.email,
      password: user.password,
      mfaCode: recoveryCodes[1],
    }).expect(200);
  });

  it('disable needs a valid code; afterwards login needs none', async () => {
    await t.http
      .post('/v1/auth/mfa/disable')
      .auth(user.accessToken, bearer())
      .send({ code: '000000' })
      .expect(400);
    await t.http
      .post('/v1/auth/mfa/disable')
      .auth(user.accessToken, bearer())
      .send({ code: recoveryCodes[2] })
      .expect(204);
    await login(t, { email: user.email, password: user.password }).expect(200);
  });

  it('MFA routes need a bearer token', async () => {
    await t.http.post('/v1/auth/mfa/setup').expect(401);
  });
});

describe('Brute-force limits (e2e)', () => {
  describe.each([
    ['in-process counters', {}],
    ['Redis counters', { RATE_LIMIT_REDIS_URL: 'redis://127.0.0.1:6379' }],
  ])('per-account lockout with %s', (_label, env: Record<string, string>) => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ LOGIN_MAX_FAILURES: '3', ...env });
    });
    afterAll(() => t.close());

    it('locks an account after repeated failures: 429 RATE_LIMITED with Retry-After, even for the right password', async () => {
      const user = await registerUser(t.http);
      for (let i = 0; i < 3; i++) {
        await login(t, { email: user.email, password: `wrong password ${i}` }).expect(401);
      }
      const locked = await login(t, { email: user.email, password: user.password }).expect(429);
      expect(locked.body.code).toBe('RATE_LIMITED');
      const retryAfter = Number(locked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(30);

      const history = await t.http
        .get('/v1/users/me/login-history')
        .auth(user.accessToken, { type: 'bearer' })
        .expect(200);
      const entries = history.body.data as { reason: string }[];
      expect(entries.map((entry) => entry.reason)).toEqual([
        'invalid_credentials',
        'invalid_credentials',
        'invalid_credentials',
      ]);
    });

    it('locks unknown emails alike, so the lock reveals nothing', async () => {
      const email = uniqueEmail('unknown');
      for (let i = 0; i < 3; i++) await login(t, { email, password: 'some password' }).expect(401);
      await login(t, { email, password: 'some password' }).expect(429);
    });

    it('does not lock an account whose failures are interleaved with a success', async () => {
      const user = await registerUser(t.http);
      await login(t, { email: user.email, password: 'wrong password 1' }).expect(401);
      await login(t, { email: user.email, password: 'wrong password 2' }).expect(401);
      await login(t, { email: user.email, password: user.password }).expect(200);
      await login(t, { email: user.email, password: 'wrong password 3' }).expect(401);
      await login(t, { email: user.email, password: user.password }).expect(200);
    });
  });

  describe('per-ip limit on the auth routes', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    });
    afterAll(() => t.close());

    it('answers 429 RATE_LIMITED with Retry-After past the limit, across the auth routes', async () => {
      const email = uniqueEmail();
      await t.http.post('/v1/auth/forgot-password').send({ email }).expect(202);
      await t.http.post('/v1/auth/resend-verification').send({ email }).expect(202);
      await login(t, { email, password: 'whatever it is' }).expect(401);
      const limited = await login(t, { email, password: 'whatever it is' }).expect(429);
      expect(limited.body.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      await t.http.post('/v1/auth/verify-email').send({ token: 'x' }).expect(429);
    });

    it('leaves routes outside the limit alone', async () => {
      await t.http.get('/health/live').expect(200);
      await t.http.get('/v1/auth/me').expect(401);
    });
  });
});
