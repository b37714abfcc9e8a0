import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('HTTP platform (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('operations', () => {
    it('GET /health reports the database up', async () => {
      const response = await t.http.get('/health').expect(200);
      expect(response.body).toEqual({ status: 'ok', checks: { database: 'up' } });
    });

    it('GET /health/live answers while the process runs', async () => {
      await t.http.get('/health/live').expect(200, { status: 'ok' });
    });

    it('GET /metrics exposes the HTTP duration histogram by route and status', async () => {
      await t.http.get('/health/live').expect(200);
      const response = await t.http.get('/metrics').expect(200);
      expect(response.headers['content-type']).toContain('text/plain');
      expect(response.text).toMatch(
        /http_request_duration_seconds_count\{method="GET",route="\/health\/live",status="200"\} [1-9]/,
      );
      expect(response.text).toContain('process_cpu_user_seconds_total');
    });

    it('publishes the OpenAPI document with the auth routes and Swagger UI', async () => {
      const document = await t.http.get('/docs-json').expect(200);
      const paths = Object.keys((document.body as { paths: object }).paths);
      expect(paths).toEqual(
        expect.arrayContaining(['/v1/auth/register', '/v1/auth/login', '/health']),
      );
      const ui = await t.http.get('/docs').redirects(1).expect(200);
      expect(ui.text).toContain('swagger');
      const scriptSrc = /script-src ([^;]*)/.exec(ui.headers['content-security-policy'])?.[1];
      expect(scriptSrc).toBe("'self'");
      // Every script the page runs is a same-origin file, and none is inline.
      const scripts = [...ui.text.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, body] of scripts) {
        expect(body.trim()).toBe('');
        const src = /src=["']([^"']+)["']/.exec(attributes)?.[1];
        expect(src).toMatch(/^\.?\/?[\w./-]+$/);
        await t.http.get(new URL(src!, 'http://host/docs').pathname).expect(200);
      }
    });
  });

  describe('schema', () => {
    it('has entities and migrations in step (no schema drift)', async () => {
      const pending = await t.app.get(DataSource).driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    });
  });

  describe('request ids', () => {
    it('echoes a sane X-Request-Id and uses it in error bodies', async () => {
      const response = await t.http
        .get('/no/such/route')
        .set('X-Request-Id', 'client-abc-123')
        .expect(404);
      expect(response.headers['x-request-id']).toBe('client-abc-123');
      expect(response.body.requestId).toBe('client-abc-123');
    });

    it('replaces an unusable X-Request-Id with a generated one', async () => {
      const response = await t.http
        .get('/health/live')
        .set('X-Request-Id', 'bad id with spaces')
        .expect(200);
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('problem details', () => {
    it('answers an unknown route with 404 NOT_FOUND as problem+json', async () => {
      const response = await t.http.get('/v1/nothing-here').expect(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: 404, code: 'NOT_FOUND', title: 'Not Found' });
      expect(typeof response.body.type).toBe('string');
      expect(typeof response.body.detail).toBe('string');
    });

    it('answers malformed JSON with 400 INVALID_JSON', async () => {
      const response = await t.http
        .post('/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"email": ')
        .expect(400);
      expect(response.body.code).toBe('INVALID_JSON');
    });

    it('answers a body over 1 MiB with 413 PAYLOAD_TOO_LARGE', async () => {
      const response = await t.http
        .post('/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ email: 'a'.repeat(1024 * 1024) }))
        .expect(413);
      expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('lists every invalid field and rejects unknown ones', async () => {
      const response = await t.http
        .post('/v1/auth/register')
        .send({ email: 'not-an-email', password: 'short', isAdmin: true })
        .expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      const fields = (response.body.errors as { field: string }[]).map((e) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['email', 'password', 'isAdmin']));
    });

    it('sets the security headers', async () => {
      const response = await t.http.get('/health/live').expect(200);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['strict-transport-security']).toBeDefined();
    });
  });
});

describe('CORS (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: 'https://app.example.com' });
  });
  afterAll(() => t.close());

  it('answers a preflight from an allowed origin and exposes the request id', async () => {
    const response = await t.http
      .options('/v1/auth/login')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .expect(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const simple = await t.http
      .get('/health/live')
      .set('Origin', 'https://app.example.com')
      .expect(200);
    expect(simple.headers['access-control-expose-headers']).toContain('X-Request-Id');
  });

  it('gives other origins no CORS headers', async () => {
    const response = await t.http
      .get('/health/live')
      .set('Origin', 'https://evil.example')
      .expect(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('METRICS_TOKEN (e2e)', () => {
  const token = 'metrics-token-0123456789abcdef';
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ METRICS_TOKEN: token });
  });
  afterAll(() => t.close());

  it('keeps /metrics to the holder of the token', async () => {
    const anonymous = await t.http.get('/metrics').expect(401);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
    await t.http.get('/metrics').set('Authorization', 'Bearer not-the-token').expect(401);
    const scraped = await t.http
      .get('/metrics')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(scraped.text).toContain('process_cpu_user_seconds_total');
  });
});
