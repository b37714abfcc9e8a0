import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import { DataSource } from 'typeorm';
import { enableMfa, registerUser, type RegisteredUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const onPostgres = process.env.DATABASE_URL ? it : it.skip;
const newKey = () => randomBytes(32).toString('base64');

describe('TOTP secrets at rest (e2e)', () => {
  const firstKey = newKey();
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ DATA_ENCRYPTION_KEY: firstKey });
  });
  afterAll(() => t.close());

  const storedSecret = async (app: TestApp, userId: string): Promise<string> => {
    const rows = await app.app
      .get(DataSource)
      .query<{ secret: string }[]>('SELECT secret FROM mfa_factors WHERE user_id = $1', [userId]);
    return rows[0].secret;
  };
  const loginWithCode = async (app: TestApp, user: RegisteredUser, secret: string) =>
    app.http.post('/v1/auth/login').send({
      email: user.email,
      password: user.password,
      mfaCode: await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }),
    });

  it('stores the secret sealed, never as the base32 the authenticator got', async () => {
    const user = await registerUser(t.http);
    const { secret } = await enableMfa(t.http, user.accessToken);
    const stored = await storedSecret(t, user.userId);
    expect(stored).toMatch(/^v1\.[0-9a-f]{8}\.[\w-]+$/);
    expect(stored).not.toContain(secret);
    expect((await loginWithCode(t, user, secret)).status).toBe(200);
  });

  onPostgres(
    'a replica booted with a rotated key list seals plaintext and old-key secrets under the new key',
    async () => {
      const [sealedUser, legacyUser] = [await registerUser(t.http), await registerUser(t.http)];
      const sealed = await enableMfa(t.http, sealedUser.accessToken);
      const legacy = await enableMfa(t.http, legacyUser.accessToken);
      // A row as it was before secrets were sealed: only SQL can write that state now.
      await t.app
        .get(DataSource)
        .query('UPDATE mfa_factors SET secret = $2 WHERE user_id = $1', [
          legacyUser.userId,
          legacy.secret,
        ]);
      const oldPrefix = (await storedSecret(t, sealedUser.userId)).slice(0, 12);

      const replica = await createTestApp({ DATA_ENCRYPTION_KEY: `${newKey()},${firstKey}` }, [], {
        replicaOf: t,
      });
      try {
        const [a, b] = [
          await storedSecret(replica, sealedUser.userId),
          await storedSecret(replica, legacyUser.userId),
        ];
        expect(a.slice(0, 12)).not.toBe(oldPrefix);
        expect(b.slice(0, 12)).toBe(a.slice(0, 12));
        expect(b).not.toContain(legacy.secret);
        expect((await loginWithCode(replica, sealedUser, sealed.secret)).status).toBe(200);
        expect((await loginWithCode(replica, legacyUser, legacy.secret)).status).toBe(200);
      } finally {
        await replica.close();
      }
    },
  );
});
