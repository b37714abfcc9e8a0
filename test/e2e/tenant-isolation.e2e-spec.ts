import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { addMember, createApiKey } from '../factories/organization.factory.js';
import { registerUser, type RegisteredUser } from '../factories/user.factory.js';
import { ApiKeyProbeModule } from '../support/api-key-probe.module.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const bearer = { type: 'bearer' as const };

/** Every handler Nest registered whose path has an :orgId, read from the controllers' metadata. */
function registeredOrganizationRoutes(t: TestApp): string[] {
  const scanner = new MetadataScanner();
  return (
    t.app
      .get(DiscoveryService)
      .getControllers()
      .flatMap(({ metatype, instance }) => {
        const base = String(Reflect.getMetadata(PATH_METADATA, metatype as object) ?? '');
        const prototype = Object.getPrototypeOf(instance) as object;
        return scanner.getAllMethodNames(prototype).flatMap((name) => {
          const handler = (prototype as Record<string, object>)[name];
          const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
          if (path === undefined) return [];
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
          return [`${method} ${base}/${path}`];
        });
      })
      // The admin API names organizations too, but behind the operators' key, not membership.
      .filter((route) => route.includes(':orgId') && !route.includes('v1/admin/'))
  );
}

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
}

describe('Tenant isolation and API keys (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  let alice: RegisteredUser;
  let mallory: RegisteredUser;

  beforeAll(async () => {
    t = await createTestApp({}, [ApiKeyProbeModule]);
    db = t.app.get(DataSource);
    alice = await registerUser(t.http);
    mallory = await registerUser(t.http);
  });
  afterAll(() => t.close());

  /** Every operation under /v1/organizations/{orgId} that the running service documents. */
  async function organizationRoutes(): Promise<{ method: string; path: string }[]> {
    const document = (await t.http.get('/docs-json').expect(200)).body as OpenApiDocument;
    return Object.entries(document.paths)
      .filter(([path]) => path.includes('{orgId}') && !path.startsWith('/v1/admin/'))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => ({ method, path })));
  }

  const fill = (path: string, orgId: string) =>
    path.replace('{orgId}', orgId).replace(/\{[A-Za-z]+\}/g, () => randomUUID());

  const call = (method: string, url: string) =>
    (t.http as unknown as Record<string, (url: string) => ReturnType<typeof t.http.get>>)[method](
      url,
    );

  describe('every organization route', () => {
    it('is documented in OpenAPI, so the walk below covers every one', async () => {
      const routes = await organizationRoutes();
      expect(routes).toHaveLength(registeredOrganizationRoutes(t).length);
      expect(routes).toEqual(
        expect.arrayContaining([{ method: 'delete', path: '/v1/organizations/{orgId}' }]),
      );
    });

    it('answers 404, never 403 nor data, to a member of another organization', async () => {
      for (const { method, path } of await organizationRoutes()) {
        const response = await call(method, fill(path, alice.organizationId))
          .auth(mallory.accessToken, bearer)
          .send({});
        expect({ method, path, status: response.status, code: response.body.code }).toEqual({
          method,
          path,
          status: 404,
          code: 'NOT_FOUND',
        });
      }
    });

    it("answers 404 to another organization's API key", async () => {
      const { key } = await createApiKey(t.http, mallory, [
        'wallet:read',
        'credits:charge',
        'usage:write',
        'entitlements:read',
      ]);
      for (const { method, path } of await organizationRoutes()) {
        const response = await call(method, fill(path, alice.organizationId))
          .auth(key, bearer)
          .send({});
        expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
      }
    });

    it('answers 404 for an organization id that is not a UUID or does not exist', async () => {
      await t.http.get('/v1/organizations/not-a-uuid').auth(alice.accessToken, bearer).expect(404);
      await t.http
        .get(`/v1/organizations/${randomUUID()}/members`)
        .auth(alice.accessToken, bearer)
        .expect(404);
    });

    it('lets the members in (control)', async () => {
      await t.http
        .get(`/v1/organizations/${alice.organizationId}/members`)
        .auth(alice.accessToken, bearer)
        .expect(200);
    });
  });

  describe('API keys', () => {
    it('shows the key once, keeps only its hash and a visible prefix', async () => {
      const response = await t.http
        .post(`/v1/organizations/${alice.organizationId}/api-keys`)
        .auth(alice.accessToken, bearer)
        .send({ name: 'Render workers', scopes: ['wallet:read', 'credits:charge'] })
        .expect(201);
      const { key, prefix, id } = response.body as { key: string; prefix: string; id: string };
      expect(key).toMatch(/^ssk_[0-9A-Za-z]{43}$/);
      expect(key.startsWith(prefix)).toBe(true);
      expect(prefix).toHaveLength(12);

      const list = await t.http
        .get(`/v1/organizations/${alice.organizationId}/api-keys`)
        .auth(alice.accessToken, bearer)
        .expect(200);
      const listed = (list.body as { id: string }[]).find((k) => k.id === id);
      expect(listed).toMatchObject({
        name: 'Render workers',
        prefix,
        scopes: ['wallet:read', 'credits:charge'],
        lastUsedAt: null,
      });
      expect(JSON.stringify(list.body)).not.toContain(key);
      const [stored] = await db.query<{ key_hash: string }[]>(
        'SELECT key_hash FROM api_keys WHERE id = $1',
        [id],
      );
      expect(stored.key_hash).toMatch(/^[0-9a-f]{64}$/);
      const [audit] = await db.query<{ action: string }[]>(
        `SELECT action FROM audit_logs WHERE entity_id = $1`,
        [id],
      );
      expect(audit.action).toBe('CREATE');
    });

    it('authenticates as the organization on routes that accept keys, within their scopes', async () => {
      const reader = await createApiKey(t.http, alice, ['wallet:read']);
      const charger = await createApiKey(t.http, alice, ['credits:charge']);
      const probe = `/v1/organizations/${alice.organizationId}/probe`;

      const ok = await t.http.get(probe).auth(reader.key, bearer).expect(200);
      expect(ok.body).toEqual({ organizationId: alice.organizationId, role: null });
      const lacking = await t.http.get(probe).auth(charger.key, bearer).expect(403);
      expect(lacking.body.detail).toContain('wallet:read');

      const [row] = await db.query<{ last_used_at: Date | null }[]>(
        'SELECT last_used_at FROM api_keys WHERE id = $1',
        [reader.id],
      );
      expect(row.last_used_at).not.toBeNull();
    });

    it('reaches no route made for users', async () => {
      const { key } = await createApiKey(t.http, alice, ['wallet:read']);
      await t.http
        .get(`/v1/organizations/${alice.organizationId}/members`)
        .auth(key, bearer)
        .expect(403);
      await t.http
        .get(`/v1/organizations/${alice.organizationId}/api-keys`)
        .auth(key, bearer)
        .expect(403);
      await t.http.get('/v1/auth/me').auth(key, bearer).expect(403);
      await t.http.post('/v1/organizations').auth(key, bearer).send({ name: 'Nope' }).expect(403);
    });

    it('answers 401 at once after revocation, and for made-up keys', async () => {
      const { id, key } = await createApiKey(t.http, alice, ['wallet:read']);
      const probe = `/v1/organizations/${alice.organizationId}/probe`;
      await t.http.get(probe).auth(key, bearer).expect(200);
      await t.http
        .delete(`/v1/organizations/${alice.organizationId}/api-keys/${id}`)
        .auth(alice.accessToken, bearer)
        .expect(204);
      const revoked = await t.http.get(probe).auth(key, bearer).expect(401);
      expect(revoked.body.code).toBe('UNAUTHENTICATED');
      await t.http
        .get(probe)
        .auth(`ssk_${'0'.repeat(43)}`, bearer)
        .expect(401);
      await t.http
        .delete(`/v1/organizations/${alice.organizationId}/api-keys/${id}`)
        .auth(alice.accessToken, bearer)
        .expect(404);
    });

    it('is managed by admins only, with scopes from the fixed list', async () => {
      const member = await registerUser(t.http);
      await addMember(db, alice.organizationId, member, 'billing');
      const path = `/v1/organizations/${alice.organizationId}/api-keys`;
      await t.http
        .post(path)
        .auth(member.accessToken, bearer)
        .send({ name: 'x', scopes: ['wallet:read'] })
        .expect(403);
      await t.http.get(path).auth(member.accessToken, bearer).expect(403);
      const bad = await t.http
        .post(path)
        .auth(alice.accessToken, bearer)
        .send({ name: 'x', scopes: ['admin:all'] })
        .expect(400);
      expect(bad.body.errors[0].field).toBe('scopes');
      await t.http
        .post(path)
        .auth(alice.accessToken, bearer)
        .send({ name: 'x', scopes: [] })
        .expect(400);
    });
  });
});
