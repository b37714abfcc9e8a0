import { registerUser, type RegisteredUser } from '../factories/user.factory.js';
import { tokenFromLink } from '../support/smtp-capture.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const onPostgres = process.env.DATABASE_URL ? it : it.skip;
const bearer = { type: 'bearer' } as const;

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/**
 * An access token belongs to its session: once the session is revoked, the token is refused at
 * once (API.md, Auth), whatever its expiry says.
 */
describe('Session revocation reaches access tokens (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const me = (app: TestApp, accessToken: string) =>
    app.http.get('/v1/auth/me').auth(accessToken, bearer);

  const login = async (user: RegisteredUser, password = user.password): Promise<Tokens> =>
    (await t.http.post('/v1/auth/login').send({ email: user.email, password }).expect(200)).body
      .tokens as Tokens;

  const refresh = (refreshToken: string) => t.http.post('/v1/auth/refresh').send({ refreshToken });

  const expectEnded = async (accessToken: string, app = t) => {
    const response = await me(app, accessToken).expect(401);
    expect(response.body.code).toBe('UNAUTHENTICATED');
  };

  it('logout ends that session’s access tokens and no other', async () => {
    const user = await registerUser(t.http);
    const other = await login(user);
    await me(t, user.accessToken).expect(200);
    await t.http.post('/v1/auth/logout').send({ refreshToken: user.refreshToken }).expect(204);
    await expectEnded(user.accessToken);
    await me(t, other.accessToken).expect(200);
  });

  it('logout-all ends every session’s access tokens', async () => {
    const user = await registerUser(t.http);
    const other = await login(user);
    await t.http.post('/v1/auth/logout-all').auth(other.accessToken, bearer).expect(204);
    await expectEnded(user.accessToken);
    await expectEnded(other.accessToken);
  });

  it('a rotated refresh token replayed ends the access tokens of the whole family', async () => {
    const user = await registerUser(t.http);
    const rotated = (await refresh(user.refreshToken).expect(200)).body.tokens as Tokens;
    await me(t, rotated.accessToken).expect(200);
    expect((await refresh(user.refreshToken).expect(401)).body.code).toBe('REFRESH_TOKEN_REUSED');
    await expectEnded(user.accessToken);
    await expectEnded(rotated.accessToken);
  });

  it('a password change ends the other sessions and keeps the one that made it', async () => {
    const user = await registerUser(t.http);
    const other = await login(user);
    await t.http
      .put('/v1/users/me/password')
      .auth(user.accessToken, bearer)
      .send({ currentPassword: user.password, newPassword: 'a different long passphrase' })
      .expect(204);
    await expectEnded(other.accessToken);
    await refresh(other.refreshToken).expect(401);
    await me(t, user.accessToken).expect(200);
  });

  it('a password reset ends every session', async () => {
    const user = await registerUser(t.http);
    const other = await login(user);
    await t.http.post('/v1/auth/forgot-password').send({ email: user.email }).expect(202);
    const token = tokenFromLink(
      await t.mail.waitFor(user.email, /Reset your password/),
      '/reset-password',
    );
    await t.http
      .post('/v1/auth/reset-password')
      .send({ token, password: 'a brand new passphrase' })
      .expect(204);
    await expectEnded(user.accessToken);
    await expectEnded(other.accessToken);
  });

  it('a replay racing the rotation of the successor leaves no live token in the family', async () => {
    // Each round: T0 rotated to T1, then T1 rotated (→ T2) while T0 is replayed. Whatever the
    // interleaving, the replay revokes the family, T2 included, and T2's access token.
    for (let round = 0; round < 12; round++) {
      const user = await registerUser(t.http);
      const t1 = (await refresh(user.refreshToken).expect(200)).body.tokens as Tokens;
      const [successor, replay] = await Promise.all([
        refresh(t1.refreshToken),
        refresh(user.refreshToken),
      ]);
      expect(replay.body.code).toBe('REFRESH_TOKEN_REUSED');
      expect([200, 401]).toContain(successor.status);
      if (successor.status === 200) {
        const t2 = successor.body.tokens as Tokens;
        await refresh(t2.refreshToken).expect(401);
        await expectEnded(t2.accessToken);
      }
      await expectEnded(t1.accessToken);
    }
  });

  onPostgres('a session revoked on one replica is refused on another at once', async () => {
    const replica = await createTestApp({}, [], { replicaOf: t });
    try {
      const user = await registerUser(t.http);
      await me(replica, user.accessToken).expect(200);
      await t.http.post('/v1/auth/logout-all').auth(user.accessToken, bearer).expect(204);
      await expectEnded(user.accessToken, replica);
    } finally {
      await replica.close();
    }
  });
});
