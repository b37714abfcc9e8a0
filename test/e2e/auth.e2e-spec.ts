import { createHmac, randomUUID } from 'node:crypto';
import { SignJWT, createLocalJWKSet, decodeJwt, generateKeyPair, jwtVerify, type JWK } from 'jose';
import { DataSource } from 'typeorm';
import { JwtKeysService } from '../../src/modules/auth/jwt-keys.service.js';
import { registerUser, uniqueEmail } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const ISSUER = 'http://localhost:3000';
const AUDIENCE = 'subscription-service';

describe('Auth (e2e)', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const count = async (sql: string, params: unknown[]): Promise<number> =>
    Number((await db.query<{ n: string }[]>(sql, params))[0].n);

  describe('POST /v1/auth/register', () => {
    it('creates the user, a personal organization it owns, tokens and audit rows', async () => {
      const email = uniqueEmail('Ada');
      const response = await t.http
        .post('/v1/auth/register')
        .send({
          email: email.toUpperCase(),
          password: 'a long enough password',
          fullName: 'Ada Lovelace',
        })
        .expect(201);
      const { user, tokens, organization } = response.body;
      expect(user).toMatchObject({
        email: email.toLowerCase(),
        emailVerified: false,
        fullName: 'Ada Lovelace',
        role: 'user',
        status: 'active',
      });
      expect(Object.keys(user).sort()).toEqual([
        'avatarUrl',
        'bio',
        'createdAt',
        'email',
        'emailVerified',
        'fullName',
        'id',
        'role',
        'status',
        'username',
      ]);
      expect(tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
      expect(organization).toMatchObject({ name: "Ada Lovelace's workspace", region: 'US' });
      expect(organization.slug).toMatch(/^ada-lovelace-s-workspace/);

      const me = await t.http
        .get('/v1/auth/me')
        .auth(tokens.accessToken, { type: 'bearer' })
        .expect(200);
      expect(me.body.organizations).toEqual([
        { id: organization.id, name: organization.name, role: 'owner' },
      ]);

      const audited = await db.query(
        `SELECT entity_type, action FROM audit_logs WHERE entity_id IN ($1, $2) ORDER BY entity_type`,
        [user.id, organization.id],
      );
      expect(audited).toEqual([
        { entity_type: 'ORGANIZATION', action: 'CREATE' },
        { entity_type: 'USER', action: 'CREATE' },
      ]);
    });

    it('never returns the password hash', async () => {
      const response = await t.http
        .post('/v1/auth/register')
        .send({ email: uniqueEmail(), password: 'a long enough password' })
        .expect(201);
      expect(JSON.stringify(response.body)).not.toMatch(/argon2|passwordHash/);
    });

    it('answers 409 EMAIL_TAKEN for an email already registered, in any case', async () => {
      const existing = await registerUser(t.http);
      const response = await t.http
        .post('/v1/auth/register')
        .send({ email: existing.email.toUpperCase(), password: 'another password' })
        .expect(409);
      expect(response.body.code).toBe('EMAIL_TAKEN');
    });

    it('answers 409 USERNAME_TAKEN for a username that differs only in case, writing nothing', async () => {
      await registerUser(t.http, { username: 'Grace_H' });
      const email = uniqueEmail();
      const response = await t.http
        .post('/v1/auth/register')
        .send({ email, password: 'a long enough password', username: 'grace_h' })
        .expect(409);
      expect(response.body.code).toBe('USERNAME_TAKEN');
      expect(await count('SELECT count(*) AS n FROM users WHERE email = $1', [email])).toBe(0);
    });

    it('of concurrent registrations with one email, exactly one succeeds and one account exists', async () => {
      const email = uniqueEmail('race');
      const attempts = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          t.http.post('/v1/auth/register').send({ email, password: `password number ${i}` }),
        ),
      );
      const statuses = attempts.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
      expect(
        attempts.filter((r) => r.status === 409).every((r) => r.body.code === 'EMAIL_TAKEN'),
      ).toBe(true);
      expect(await count('SELECT count(*) AS n FROM users WHERE email = $1', [email])).toBe(1);
      const winner = attempts.find((r) => r.status === 201)!.body;
      expect(
        await count('SELECT count(*) AS n FROM memberships WHERE user_id = $1', [winner.user.id]),
      ).toBe(1);
    });

    it.each([
      [{ email: 'a@b.co' }, ['password']],
      [{ email: 'a@b.co', password: 'x'.repeat(129) }, ['password']],
      [{ email: 'a@b.co', password: 'short' }, ['password']],
      [{ email: 'a@b.co', password: 'long enough', username: 'no spaces!' }, ['username']],
      [{ email: 'a@b.co', password: 'long enough', fullName: '' }, ['fullName']],
      [{ email: 42, password: 'long enough' }, ['email']],
    ])('rejects %j naming %j, and writes nothing', async (body, fields) => {
      const before = await count('SELECT count(*) AS n FROM users', []);
      const response = await t.http.post('/v1/auth/register').send(body).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect((response.body.errors as { field: string }[]).map((e) => e.field)).toEqual(
        expect.arrayContaining(fields),
      );
      expect(await count('SELECT count(*) AS n FROM users', [])).toBe(before);
    });
  });

  describe('POST /v1/auth/login', () => {
    it('returns the user and fresh tokens for the right password', async () => {
      const user = await registerUser(t.http);
      const response = await t.http
        .post('/v1/auth/login')
        .send({ email: user.email.toUpperCase(), password: user.password })
        .expect(200);
      expect(response.body.user.id).toBe(user.userId);
      expect(response.body.tokens.refreshToken).not.toBe(user.refreshToken);
    });

    it('answers unknown email and wrong password with the same 401 INVALID_CREDENTIALS', async () => {
      const user = await registerUser(t.http);
      const wrong = await t.http
        .post('/v1/auth/login')
        .send({ email: user.email, password: 'wrong password' })
        .expect(401);
      const unknown = await t.http
        .post('/v1/auth/login')
        .send({ email: uniqueEmail('nobody'), password: 'wrong password' })
        .expect(401);
      expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
      expect(unknown.body.code).toBe('INVALID_CREDENTIALS');
      expect(unknown.body.detail).toBe(wrong.body.detail);
    });

    it('refuses a suspended account with 403 ACCOUNT_SUSPENDED', async () => {
      const user = await registerUser(t.http);
      await db.query(`UPDATE users SET status = 'suspended' WHERE id = $1`, [user.userId]);
      const response = await t.http
        .post('/v1/auth/login')
        .send({ email: user.email, password: user.password })
        .expect(403);
      expect(response.body.code).toBe('ACCOUNT_SUSPENDED');
    });
  });

  describe('POST /v1/auth/refresh', () => {
    it('rotates: the new pair works and the old refresh token does not', async () => {
      const user = await registerUser(t.http);
      const first = await t.http
        .post('/v1/auth/refresh')
        .send({ refreshToken: user.refreshToken })
        .expect(200);
      const { tokens } = first.body;
      expect(tokens.refreshToken).not.toBe(user.refreshToken);
      await t.http.get('/v1/auth/me').auth(tokens.accessToken, { type: 'bearer' }).expect(200);
      await t.http.post('/v1/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(200);
    });

    it('on reuse of a rotated token answers REFRESH_TOKEN_REUSED and kills the successor too', async () => {
      const user = await registerUser(t.http);
      const rotated = await t.http
        .post('/v1/auth/refresh')
        .send({ refreshToken: user.refreshToken })
        .expect(200);
      const reuse = await t.http
        .post('/v1/auth/refresh')
        .send({ refreshToken: user.refreshToken })
        .expect(401);
      expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');
      const successor = await t.http
        .post('/v1/auth/refresh')
        .send({ refreshToken: rotated.body.tokens.refreshToken })
        .expect(401);
      expect(successor.body.code).toBe('UNAUTHENTICATED');
    });

    it('leaves other sessions of the user alive when one family is revoked for reuse', async () => {
      const user = await registerUser(t.http);
      const other = await t.http
        .post('/v1/auth/login')
        .send({ email: user.email, password: user.password })
        .expect(200);
      await t.http.post('/v1/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
      await t.http.post('/v1/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
      await t.http
        .post('/v1/auth/refresh')
        .send({ refreshToken: other.body.tokens.refreshToken })
        .expect(200);
    });

    it('of ten concurrent refreshes with one token, at most one successor stays alive', async () => {
      const user = await registerUser(t.http);
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          t.http.post('/v1/auth/refresh').send({ refreshToken: user.refreshToken }),
        ),
      );
      const winners = results.filter((r) => r.status === 200);
      expect(winners.length).toBeLessThanOrEqual(1);
      expect(results.every((r) => r.status === 200 || r.status === 401)).toBe(true);
      const live = await count(
        `SELECT count(*) AS n FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL`,
        [user.userId],
      );
      expect(live).toBeLessThanOrEqual(1);
      const successes = await Promise.all(
        winners.map((w) =>
          t.http.post('/v1/auth/refresh').send({ refreshToken: w.body.tokens.refreshToken }),
        ),
      );
      expect(successes.filter((r) => r.status === 200).length).toBe(live);
    });

    it('answers an unknown token with 401 UNAUTHENTICATED and a missing one with 400', async () => {
      const unknown = await t.http
        .post('/v1/auth/refresh')
        .send({ refreshToken: 'not-a-token' })
        .expect(401);
      expect(unknown.body.code).toBe('UNAUTHENTICATED');
      const missing = await t.http.post('/v1/auth/refresh').send({}).expect(400);
      expect(missing.body.errors[0].field).toBe('refreshToken');
    });

    it('gives a suspended user no new tokens', async () => {
      const user = await registerUser(t.http);
      await db.query(`UPDATE users SET status = 'suspended' WHERE id = $1`, [user.userId]);
      const response = await t.http
        .post('/v1/auth/refresh')
        .send({ refreshToken: user.refreshToken })
        .expect(403);
      expect(response.body.code).toBe('ACCOUNT_SUSPENDED');
    });
  });

  describe('logout', () => {
    it('POST /v1/auth/logout revokes that refresh token only', async () => {
      const user = await registerUser(t.http);
      const other = await t.http
        .post('/v1/auth/login')
        .send({ email: user.email, password: user.password })
        .expect(200);
      await t.http.post('/v1/auth/logout').send({ refreshToken: user.refreshToken }).expect(204);
      await t.http.post('/v1/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
      await t.http
        .post('/v1/auth/refresh')
        .send({ refreshToken: other.body.tokens.refreshToken })
        .expect(200);
      await t.http.post('/v1/auth/logout').send({ refreshToken: user.refreshToken }).expect(204);
    });

    it('POST /v1/auth/logout-all needs a bearer token and revokes every refresh token', async () => {
      const user = await registerUser(t.http);
      const other = await t.http
        .post('/v1/auth/login')
        .send({ email: user.email, password: user.password })
        .expect(200);
      await t.http.post('/v1/auth/logout-all').expect(401);
      await t.http
        .post('/v1/auth/logout-all')
        .auth(user.accessToken, { type: 'bearer' })
        .expect(204);
      await t.http.post('/v1/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
      await t.http
        .post('/v1/auth/refresh')
        .send({ refreshToken: other.body.tokens.refreshToken })
        .expect(401);
    });
  });

  describe('access tokens', () => {
    it('are ES256 JWTs with iss, aud, sub, exp, iat and jti, verifiable with the published JWKS', async () => {
      const user = await registerUser(t.http);
      const jwks = await t.http.get('/.well-known/jwks.json').expect(200);
      const keys = jwks.body.keys as JWK[];
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(keys[0]).not.toHaveProperty('d');
      const { payload, protectedHeader } = await jwtVerify(
        user.accessToken,
        createLocalJWKSet({ keys }),
        {
          issuer: ISSUER,
          audience: AUDIENCE,
        },
      );
      expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: keys[0].kid });
      expect(payload.sub).toBe(user.userId);
      expect(payload.exp! - payload.iat!).toBe(900);
      expect(typeof payload.jti).toBe('string');
    });

    it('GET /v1/auth/me without a token is 401 UNAUTHENTICATED', async () => {
      const response = await t.http.get('/v1/auth/me').expect(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    describe('forged or misused tokens are 401', () => {
      let user: Awaited<ReturnType<typeof registerUser>>;
      const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const claims = () => ({
        sub: user.userId,
        iss: ISSUER,
        aud: AUDIENCE,
        jti: 'x',
        sid: decodeJwt(user.accessToken).sid,
        token_use: 'access',
      });
      const signWithRealKey = (payload: Record<string, unknown>, expiresIn = '5m') =>
        new SignJWT(payload)
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
          .setIssuedAt()
          .setExpirationTime(expiresIn)
          .sign(t.app.get(JwtKeysService).keys.privateKey);
      const expect401 = async (token: string) => {
        const response = await t.http
          .get('/v1/auth/me')
          .auth(token, { type: 'bearer' })
          .expect(401);
        expect(response.body.code).toBe('UNAUTHENTICATED');
      };

      beforeAll(async () => {
        user = await registerUser(t.http);
      });

      it('alg: none', async () => {
        const now = Math.floor(Date.now() / 1000);
        await expect401(
          `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims(), iat: now, exp: now + 300 })}.`,
        );
      });

      it('HS256 signed with the published public key as the secret', async () => {
        const now = Math.floor(Date.now() / 1000);
        const signingInput = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ ...claims(), iat: now, exp: now + 300 })}`;
        const secret = t.app.get(JwtKeysService).keys.publicKeyPem;
        const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
        await expect401(`${signingInput}.${signature}`);
      });

      it('signed by another key that the header points at (kid, jku)', async () => {
        const attacker = await generateKeyPair('ES256', { extractable: true });
        const token = await new SignJWT(claims())
          .setProtectedHeader({
            alg: 'ES256',
            kid: t.app.get(JwtKeysService).keys.kid,
            jku: 'http://evil.example/jwks.json',
          })
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(attacker.privateKey);
        await expect401(token);
      });

      it('a wrong audience', async () => {
        await expect401(await signWithRealKey({ ...claims(), aud: 'another-service' }));
      });

      it('a wrong issuer', async () => {
        await expect401(await signWithRealKey({ ...claims(), iss: 'https://issuer.example' }));
      });

      it('expired', async () => {
        await expect401(await signWithRealKey(claims(), '-1m'));
      });

      it('not an access token (no token_use)', async () => {
        const { token_use: _ignored, ...withoutUse } = claims();
        await expect401(await signWithRealKey(withoutUse));
      });

      it('a refresh token used as a bearer token', async () => {
        await expect401(user.refreshToken);
      });

      it('well signed, but naming a session that is not the user’s', async () => {
        await expect401(await signWithRealKey({ ...claims(), sid: 'session' }));
        await expect401(await signWithRealKey({ ...claims(), sid: randomUUID() }));
        const other = await registerUser(t.http);
        await expect401(
          await signWithRealKey({ ...claims(), sid: decodeJwt(other.accessToken).sid }),
        );
      });

      it('a tampered payload', async () => {
        const [header, , signature] = user.accessToken.split('.');
        await expect401(
          `${header}.${base64url({ ...claims(), sub: '00000000-0000-0000-0000-000000000000' })}.${signature}`,
        );
      });

      it('the real key still works (control)', async () => {
        await t.http
          .get('/v1/auth/me')
          .auth(await signWithRealKey(claims()), { type: 'bearer' })
          .expect(200);
      });
    });

    it("refuses a suspended user's unexpired token at once with 403 ACCOUNT_SUSPENDED", async () => {
      const user = await registerUser(t.http);
      await t.http.get('/v1/auth/me').auth(user.accessToken, { type: 'bearer' }).expect(200);
      await db.query(`UPDATE users SET status = 'suspended' WHERE id = $1`, [user.userId]);
      const response = await t.http
        .get('/v1/auth/me')
        .auth(user.accessToken, { type: 'bearer' })
        .expect(403);
      expect(response.body.code).toBe('ACCOUNT_SUSPENDED');
    });

    it("refuses a deleted user's unexpired token with 401 UNAUTHENTICATED", async () => {
      const user = await registerUser(t.http);
      await db.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [user.userId]);
      const response = await t.http
        .get('/v1/auth/me')
        .auth(user.accessToken, { type: 'bearer' })
        .expect(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    });
  });
});
