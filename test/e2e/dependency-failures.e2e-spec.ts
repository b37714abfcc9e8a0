import { createApiKey } from '../factories/organization.factory.js';
import { registerUser, type RegisteredUser } from '../factories/user.factory.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

// A proxy in front of PostgreSQL needs a PostgreSQL server; the embedded database has no socket.
const databaseUrl = process.env.DATABASE_URL;
const describeOnPostgres = databaseUrl ? describe : describe.skip;

describeOnPostgres('PostgreSQL down (e2e, through a TCP proxy)', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let user: RegisteredUser;
  let apiKey: string;

  beforeAll(async () => {
    const server = new URL(databaseUrl!);
    proxy = await new TcpProxy(server.hostname, Number(server.port || 5432)).start();
    t = await createTestApp({}, [], { databaseVia: proxy });
    user = await registerUser(t.http);
    apiKey = (await createApiKey(t.http, user, ['wallet:read'])).key;
  });
  afterAll(async () => {
    proxy.set('forward');
    await t.close();
    await proxy.stop();
  });
  afterEach(() => proxy.set('forward'));

  const calls = () => ({
    'GET /v1/auth/me (access token)': t.http
      .get('/v1/auth/me')
      .auth(user.accessToken, { type: 'bearer' }),
    'GET …/wallet (API key)': t.http
      .get(`/v1/organizations/${user.organizationId}/wallet`)
      .auth(apiKey, { type: 'bearer' }),
    'POST /v1/auth/login': t.http
      .post('/v1/auth/login')
      .send({ email: user.email, password: user.password }),
    'POST /v1/auth/refresh': t.http
      .post('/v1/auth/refresh')
      .send({ refreshToken: user.refreshToken }),
  });

  it('answers 503 DEPENDENCY_UNAVAILABLE with Retry-After, never 401 or 500, and /health says so', async () => {
    proxy.set('refuse');
    for (const [name, call] of Object.entries(calls())) {
      const response = await call;
      expect({ name, status: response.status, code: response.body.code }).toEqual({
        name,
        status: 503,
        code: 'DEPENDENCY_UNAVAILABLE',
      });
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect((await t.http.get('/health')).status).toBe(503);
  });

  it('serves again once the database is back, with no restart', async () => {
    proxy.set('refuse');
    await t.http.get('/v1/auth/me').auth(user.accessToken, { type: 'bearer' }).expect(503);
    proxy.set('forward');
    await t.http.get('/health').expect(200);
    await t.http.get('/v1/auth/me').auth(user.accessToken, { type: 'bearer' }).expect(200);
    await t.http
      .post('/v1/auth/login')
      .send({ email: user.email, password: user.password })
      .expect(200);
  });
});
