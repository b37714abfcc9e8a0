import { registerUser, type RegisteredUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const nested = (depth: number, open: string, close: string, leaf = '1') =>
  `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;

describe('Bad input answers 4xx problem+json (e2e)', () => {
  let t: TestApp;
  let user: RegisteredUser;

  beforeAll(async () => {
    t = await createTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '10000' });
    user = await registerUser(t.http);
  });
  afterAll(() => t.close());

  const expectProblem = (
    response: { status: number; headers: Record<string, string>; body: { code?: string } },
    status: number,
    code: string,
  ) => {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe(code);
  };

  describe('JSON nested too deep', () => {
    const routes = [
      ['POST', '/v1/auth/register'],
      ['POST', '/v1/auth/login'],
      ['PATCH', '/v1/users/me'],
      ['POST', '/v1/organizations'],
    ] as const;

    it.each(routes)(
      '%s %s: 5,000 levels of objects or arrays → 400 VALIDATION_FAILED',
      async (method, path) => {
        for (const body of [
          `{"email":${nested(5000, '{"a":', '}')}}`,
          `{"email":${nested(5000, '[', ']')}}`,
        ]) {
          const response = await t.http[method === 'POST' ? 'post' : 'patch'](path)
            .auth(user.accessToken, { type: 'bearer' })
            .set('Content-Type', 'application/json')
            .send(body);
          expectProblem(response, 400, 'VALIDATION_FAILED');
          expect(response.body.detail).toMatch(/too deep/);
        }
      },
    );

    it('counts no brackets inside strings, and lets 32 levels through to validation', async () => {
      const password = `${'['.repeat(60)}${'{'.repeat(60)}"\\"]]`;
      const registered = await registerUser(t.http, { password });
      await t.http.post('/v1/auth/login').send({ email: registered.email, password }).expect(200);
      const shallow = await t.http
        .post('/v1/organizations')
        .auth(user.accessToken, { type: 'bearer' })
        .set('Content-Type', 'application/json')
        .send(`{"name":${nested(31, '[', ']')}}`);
      expectProblem(shallow, 400, 'VALIDATION_FAILED');
      expect(shallow.body.errors[0].field).toBe('name');
    });
  });

  describe('null where the document declares a plain string', () => {
    const bearer = () => ({ type: 'bearer' as const });

    it.each([{ name: null }, { region: null }, { name: 'Kept', region: null }])(
      'PATCH /v1/organizations/:orgId %j → 400, the organization unchanged',
      async (body) => {
        const path = `/v1/organizations/${user.organizationId}`;
        const before = await t.http.get(path).auth(user.accessToken, bearer()).expect(200);
        const response = await t.http.patch(path).auth(user.accessToken, bearer()).send(body);
        expectProblem(response, 400, 'VALIDATION_FAILED');
        const after = await t.http.get(path).auth(user.accessToken, bearer()).expect(200);
        expect(after.body).toEqual(before.body);
      },
    );

    it.each(['username', 'fullName'])('register with %s: null → 400', async (field) => {
      const response = await t.http.post('/v1/auth/register').send({
        email: `null-${field}-${Date.now()}@example.com`,
        password: 'a long passphrase 42',
        [field]: null,
      });
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('PATCH /v1/users/me: null username or fullName → 400; null bio clears it', async () => {
      const me = () => t.http.patch('/v1/users/me').auth(user.accessToken, bearer());
      await me().send({ bio: 'Hello' }).expect(200);
      for (const body of [{ username: null }, { fullName: null }])
        expectProblem(await me().send(body), 400, 'VALIDATION_FAILED');
      expect((await me().send({ bio: null }).expect(200)).body.bio).toBeNull();
    });
  });

  it('a 100,000-item array body names 20 fields and says how many more, in a small answer', async () => {
    const response = await t.http
      .post('/v1/auth/register')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(Array.from({ length: 100_000 }, () => 0)));
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(new Set(response.body.errors.map((e: { field: string }) => e.field)).size).toBe(20);
    expect(response.body.detail).toMatch(/ and \d+ more$/);
    expect(JSON.stringify(response.body).length).toBeLessThan(8_192);
  });

  it.each(['cs_', 'in_test_1', 'cs_a%27%20OR%201%3D1', `cs_${'ä'.repeat(40)}`, 'x'.repeat(99)])(
    'GET /v1/checkout/sessions/%s → 400 VALIDATION_FAILED naming sessionId',
    async (junk) => {
      const response = await t.http
        .get(`/v1/checkout/sessions/${junk}`)
        .auth(user.accessToken, { type: 'bearer' });
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(response.body.errors[0].field).toBe('sessionId');
    },
  );

  it('NUL in body text or in the URL → 400 VALIDATION_FAILED; an escaped backslash before u0000 is text', async () => {
    const bearer = { type: 'bearer' as const };
    for (const body of ['{"fullName":"a\\u0000b"}', '{"fullName":"a\\\\\\u0000"}']) {
      const response = await t.http
        .patch('/v1/users/me')
        .auth(user.accessToken, bearer)
        .set('Content-Type', 'application/json')
        .send(body);
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(response.body.detail).toMatch(/NUL/);
    }
    const literal = await t.http
      .patch('/v1/users/me')
      .auth(user.accessToken, bearer)
      .set('Content-Type', 'application/json')
      .send('{"fullName":"a\\\\u0000"}')
      .expect(200);
    expect(literal.body.fullName).toBe('a\\u0000');
    const query = await t.http.get('/v1/users?search=%00').auth(user.accessToken, bearer);
    expectProblem(query, 400, 'VALIDATION_FAILED');
  });

  it('a % that starts no escape in the path → 400 VALIDATION_FAILED problem+json', async () => {
    const response = await t.http.get('/v1/organizations/%zz').auth(user.accessToken, {
      type: 'bearer',
    });
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(response.headers['x-request-id']).toBe(response.body.requestId);
  });

  it('a path parameter over 100 characters → 400 VALIDATION_FAILED problem+json', async () => {
    const response = await t.http
      .get(`/v1/organizations/${'a'.repeat(500)}`)
      .auth(user.accessToken, { type: 'bearer' });
    expectProblem(response, 400, 'VALIDATION_FAILED');
  });
});
