import { generate } from 'otplib';
import {
  enableMfa,
  registerUser,
  uniqueEmail,
  type RegisteredUser,
} from '../factories/user.factory.js';
import type { Test } from 'supertest';
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

  it("login's MFA_REQUIRED carries a challenge that POST /v1/auth/mfa/verify completes once", async () => {
    const required = await login(t, { email: user.email, password: user.password }).expect(401);
    const mfaToken = required.body.mfaToken as string;
    expect(mfaToken).toMatch(/^[\w-]{43}$/);
    const verify = (code: string) => t.http.post('/v1/auth/mfa/verify').send({ mfaToken, code });
    expect((await verify('000000').expect(401)).body.code).toBe('INVALID_CREDENTIALS');
    const done = await verify(await codeAt(1)).expect(200);
    expect(done.body.user.id).toBe(user.userId);
    await t.http.get('/v1/auth/me').auth(done.body.tokens.accessToken, bearer()).expect(200);
    const spent = await verify(recoveryCodes[3]).expect(400);
    expect(spent.body.code).toBe('INVALID_TOKEN');
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

describe('TRUST_PROXY (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: '127.0.0.1', AUTH_RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(() => t.close());

  it("believes the trusted proxy's X-Forwarded-For: each client ip has its own budget and history", async () => {
    const email = uniqueEmail('proxied');
    const from = (ip: string) =>
      login(t, { email, password: 'some password' }).set('X-Forwarded-For', ip);
    await from('198.51.100.1').expect(401);
    await from('198.51.100.1').expect(401);
    await from('198.51.100.1').expect(429);
    await from('198.51.100.2').expect(401);
    // A client's own forged entry to the left of what the proxy appended changes nothing.
    await from('198.51.100.9, 198.51.100.1').expect(429);
  });
});

describe('A forged X-Forwarded-For without TRUST_PROXY (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(() => t.close());

  it('is not escaped by a forged X-Forwarded-For, which the login history ignores too', async () => {
    const user = await registerUser(t.http);
    const forged = (i: number) =>
      login(t, { email: user.email, password: 'wrong password' }).set(
        'X-Forwarded-For',
        `203.0.113.${i}`,
      );
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => forged(i)));
    // Registering took one of the five requests of the minute: four logins get through.
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(2);
    const history = await t.http
      .get('/v1/users/me/login-history')
      .auth(user.accessToken, { type: 'bearer' })
      .expect(200);
    const ips = (history.body.data as { ip: string }[]).map((entry) => entry.ip);
    expect(ips.length).toBeGreaterThan(0);
    for (const ip of ips) expect(ip).not.toMatch(/^203\.0\.113\./);
  });
});

describe('Brute-force limits (e2e)', () => {
  describe.each([
    ['in-process counters', {}],
    ['Redis counters', { RATE_LIMIT_REDIS_URL: 'redis://127.0.0.1:6379' }],
  ])('per-account lockout with %s', (_label, env: Record<string, string>) => {
    let t: TestApp;

    beforeAll(async () => {
      // The per-ip limit is out of the way here: these tests are about one account.
      t = await createTestApp({
        LOGIN_MAX_FAILURES: '3',
        AUTH_RATE_LIMIT_PER_MINUTE: '10000',
        ...env,
      });
    });
    afterAll(() => t.close());

    it('gives a burst of 40 concurrent wrong passwords 3 password checks (401); the other 37 are 429', async () => {
      const user = await registerUser(t.http);
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          login(t, { email: user.email, password: `wrong password ${i}` }),
        ),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 401)).toHaveLength(3);
      expect(statuses.filter((status) => status === 429)).toHaveLength(37);
      await login(t, { email: user.email, password: user.password }).expect(429);
    });

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

  describe('confirmations of a password or code share the account limit', () => {
    let t: TestApp;
    const bearer = { type: 'bearer' as const };

    beforeAll(async () => {
      t = await createTestApp({ LOGIN_MAX_FAILURES: '3', AUTH_RATE_LIMIT_PER_MINUTE: '10000' });
    });
    afterAll(() => t.close());

    const confirmations: [string, (user: RegisteredUser, password: string) => Test][] = [
      [
        'PUT /v1/users/me/email',
        (user, password) =>
          t.http
            .put('/v1/users/me/email')
            .auth(user.accessToken, bearer)
            .send({ newEmail: uniqueEmail('moved'), password }),
      ],
      [
        'PUT /v1/users/me/password',
        (user, password) =>
          t.http
            .put('/v1/users/me/password')
            .auth(user.accessToken, bearer)
            .send({ currentPassword: password, newPassword: 'a brand new passphrase 42' }),
      ],
      [
        'DELETE /v1/users/me',
        (user, password) =>
          t.http.delete('/v1/users/me').auth(user.accessToken, bearer).send({ password }),
      ],
    ];

    it.each(confirmations)(
      '%s locks after 3 wrong passwords, even for the right one',
      async (_route, confirm) => {
        const user = await registerUser(t.http);
        const wrong = await Promise.all(
          Array.from({ length: 10 }, (_, i) => confirm(user, `wrong password ${i}`)),
        );
        expect(wrong.filter((answer) => answer.status === 401)).toHaveLength(3);
        expect((await confirm(user, user.password)).status).toBe(429);
        // One budget per account: login is locked too.
        await login(t, { email: user.email, password: user.password }).expect(429);
      },
    );

    it('POST /v1/auth/mfa/disable locks after 3 wrong codes, even for a right one', async () => {
      const user = await registerUser(t.http);
      const setup = await t.http
        .post('/v1/auth/mfa/setup')
        .auth(user.accessToken, bearer)
        .expect(200);
      const secret = setup.body.secret as string;
      const enabled = await t.http
        .post('/v1/auth/mfa/enable')
        .auth(user.accessToken, bearer)
        .send({ code: await generate({ secret }) })
        .expect(200);
      const disable = (code: string) =>
        t.http.post('/v1/auth/mfa/disable').auth(user.accessToken, bearer).send({ code });
      for (const code of ['000000', '111111', '222222']) await disable(code).expect(400);
      await disable(enabled.body.recoveryCodes[0] as string).expect(429);
    });

    it('a password change retires the sign-ins halfway through: their challenge no longer completes', async () => {
      const user = await registerUser(t.http);
      const { secret } = await enableMfa(t.http, user.accessToken);
      const required = await login(t, { email: user.email, password: user.password }).expect(401);
      await t.http
        .put('/v1/users/me/password')
        .auth(user.accessToken, bearer)
        .send({ currentPassword: user.password, newPassword: 'a brand new passphrase 42' })
        .expect(204);
      const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
      const verify = await t.http
        .post('/v1/auth/mfa/verify')
        .send({ mfaToken: required.body.mfaToken, code })
        .expect(400);
      expect(verify.body.code).toBe('INVALID_TOKEN');
    });

    it('POST /v1/auth/mfa/verify locks after 3 wrong codes, even for a right one', async () => {
      const user = await registerUser(t.http);
      const { secret } = await enableMfa(t.http, user.accessToken);
      const required = await login(t, { email: user.email, password: user.password });
      const verify = (code: string) =>
        t.http.post('/v1/auth/mfa/verify').send({ mfaToken: required.body.mfaToken, code });
      const wrong = await Promise.all(['000000', '111111', '222222', '333333'].map(verify));
      expect(wrong.map((answer) => answer.status).sort()).toEqual([401, 401, 401, 429]);
      const right = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
      await verify(right).expect(429);
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
