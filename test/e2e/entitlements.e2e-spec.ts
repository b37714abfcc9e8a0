import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createApiKey } from '../factories/organization.factory.js';
import { daysFromNow, insertSubscription } from '../factories/subscription.factory.js';
import { registerUser, uniqueEmail, type RegisteredUser } from '../factories/user.factory.js';
import { FeatureProbeModule } from '../support/feature-probe.module.js';
import { SseClient } from '../support/sse-client.js';
import { webhookDelivery } from '../support/stripe/deliver-webhook.js';
import { StripeStub } from '../support/stripe/stripe-stub.js';
import { subscribeThroughCheckout } from '../support/stripe/subscribe.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const bearer = { type: 'bearer' as const };
const WEBHOOK_SECRET = 'whsec_entitlements';
const onPostgres = process.env.DATABASE_URL ? it : it.skip;

describe('Entitlements, usage and seats (e2e)', () => {
  let t: TestApp;
  let stripe: StripeStub;
  let db: DataSource;
  // A long cache: a level change must show without waiting for it to expire.
  const env = () => ({
    ...stripe.env(),
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    ENTITLEMENT_CACHE_TTL_SECONDS: '3600',
  });

  beforeAll(async () => {
    stripe = await new StripeStub().start();
    t = await createTestApp(env(), [FeatureProbeModule]);
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
    await stripe.stop();
  });

  const get = (user: RegisteredUser, path: string) =>
    t.http.get(`/v1/organizations/${user.organizationId}${path}`).auth(user.accessToken, bearer);
  const post = (user: RegisteredUser, path: string) =>
    t.http.post(`/v1/organizations/${user.organizationId}${path}`).auth(user.accessToken, bearer);

  describe('features and checks', () => {
    it("answers the free level's features with what has been used", async () => {
      const user = await registerUser(t.http);
      const response = await get(user, '/features').expect(200);
      expect(response.body.level).toBe('free');
      expect(response.body.features).toMatchObject({
        api_requests: { isEnabled: true, limit: 100, unit: 'requests', used: 0, remaining: 100 },
        render: { isEnabled: true, limit: null, remaining: null },
        seats: { isEnabled: true, limit: 5, used: 1, remaining: 4 },
        sso: { isEnabled: false },
      });
    });

    it('checks without counting, and says where the answer came from', async () => {
      const user = await registerUser(t.http);
      const first = await post(user, '/entitlements/check')
        .send({ feature: 'api_requests', quantity: 100 })
        .expect(200);
      expect(first.body).toMatchObject({
        allowed: true,
        limit: 100,
        used: 0,
        remaining: 100,
        level: 'free',
      });
      const second = await post(user, '/entitlements/check')
        .send({ feature: 'api_requests', quantity: 101 })
        .expect(200);
      expect(second.body).toMatchObject({ allowed: false, source: 'cache', asOf: first.body.asOf });
      const sso = await post(user, '/entitlements/check').send({ feature: 'sso' }).expect(200);
      expect(sso.body.allowed).toBe(false);
      const unknown = await post(user, '/entitlements/check')
        .send({ feature: 'teleport' })
        .expect(400);
      expect(unknown.body.code).toBe('VALIDATION_FAILED');
      const info = await get(user, '/cache-info').expect(200);
      expect(info.body).toEqual({
        organizationId: user.organizationId,
        level: 'free',
        cachedAt: first.body.asOf,
        cacheValidUntil: new Date(Date.parse(first.body.asOf) + 3600_000).toISOString(),
      });
    });

    it('changes the level when a subscription starts and when it is deleted, without waiting for the cache', async () => {
      const user = await registerUser(t.http);
      expect((await get(user, '/features').expect(200)).body.level).toBe('free');
      const { client } = await SseClient.open(
        t.app,
        `/v1/organizations/${user.organizationId}/events`,
        user.accessToken,
      );
      try {
        const subscription = await subscribeThroughCheckout(
          t,
          stripe,
          WEBHOOK_SECRET,
          user,
          'advanced',
        );
        const deliver = webhookDelivery(t, stripe, WEBHOOK_SECRET);

        const subscribed = await get(user, '/features').expect(200);
        expect(subscribed.body.level).toBe('advanced');
        expect(subscribed.body.features.priority_support.isEnabled).toBe(true);
        expect(subscribed.body.features.api_requests.limit).toBe(200000);
        expect((await client.waitFor('entitlements.changed')).data).toMatchObject({
          level: 'advanced',
        });

        await deliver(stripe.cancel(subscription.id)).expect(200);
        const ended = await get(user, '/features').expect(200);
        expect(ended.body.level).toBe('free');
        expect(ended.body.features.priority_support.isEnabled).toBe(false);
      } finally {
        client.close();
      }
    });

    it('lets @RequireFeature() routes through only for levels with the feature', async () => {
      const free = await registerUser(t.http);
      const refused = await get(free, '/sso-probe').expect(403);
      expect(refused.body).toMatchObject({
        code: 'FEATURE_NOT_ENTITLED',
        detail: expect.stringContaining('sso'),
      });
      const pro = await registerUser(t.http);
      await insertSubscription(db, pro.organizationId, {
        tier: 'pro',
        currentPeriodEnd: daysFromNow(30),
      });
      await get(pro, '/sso-probe').expect(200);
    });

    onPostgres(
      "drops another replica's cached level when a subscription changes here",
      async () => {
        const replica = await createTestApp(env(), [], { replicaOf: t });
        try {
          const user = await registerUser(t.http);
          const onReplica = () =>
            replica.http
              .get(`/v1/organizations/${user.organizationId}/features`)
              .auth(user.accessToken, bearer)
              .expect(200);
          expect((await onReplica()).body.level).toBe('free');
          await subscribeThroughCheckout(t, stripe, WEBHOOK_SECRET, user, 'pro');
          await t.settled();
          let level = 'free';
          for (let i = 0; i < 50 && level === 'free'; i++) {
            level = (await onReplica()).body.level;
            if (level === 'free') await new Promise((resolve) => setTimeout(resolve, 20));
          }
          expect(level).toBe('pro');
        } finally {
          await replica.close();
        }
      },
    );

    it('serves API keys with entitlements:read and refuses those without', async () => {
      const user = await registerUser(t.http);
      const reader = await createApiKey(t.http, user, ['entitlements:read']);
      const writer = await createApiKey(t.http, user, ['usage:write']);
      await t.http
        .get(`/v1/organizations/${user.organizationId}/features`)
        .auth(reader.key, bearer)
        .expect(200);
      await t.http
        .get(`/v1/organizations/${user.organizationId}/features`)
        .auth(writer.key, bearer)
        .expect(403);
    });
  });

  describe('usage', () => {
    it('never lets concurrent usage pass the limit; refusals get 429 with Retry-After and count nothing', async () => {
      const user = await registerUser(t.http);
      const responses = await Promise.all(
        Array.from({ length: 30 }, () =>
          post(user, '/usage').send({ feature: 'api_requests', quantity: 5 }),
        ),
      );
      expect(responses.filter((r) => r.status === 202)).toHaveLength(20);
      const refused = responses.filter((r) => r.status === 429);
      expect(refused).toHaveLength(10);
      expect(refused[0].body.code).toBe('QUOTA_EXCEEDED');
      const now = new Date();
      const monthEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
      const retryAfter = Number(refused[0].headers['retry-after']);
      expect(Math.abs(retryAfter - (monthEnd - Date.now()) / 1000)).toBeLessThan(60);
      const features = await get(user, '/features').expect(200);
      expect(features.body.features.api_requests).toMatchObject({ used: 100, remaining: 0 });
    });

    it('counts a repeated idempotency key once and sums daily totals per feature and model', async () => {
      const user = await registerUser(t.http);
      const key = randomUUID();
      const body = { feature: 'api_requests', quantity: 3, model: 'gpt-4o', idempotencyKey: key };
      const first = await post(user, '/usage').send(body).expect(202);
      const again = await post(user, '/usage').send(body).expect(202);
      expect(again.body).toEqual(first.body);
      await post(user, '/usage').send({ feature: 'api_requests', quantity: 2 }).expect(202);
      await post(user, '/usage')
        .send({ ...body, quantity: 4 })
        .expect(409);
      const today = new Date().toISOString().slice(0, 10);
      const totals = await get(
        user,
        `/usage?from=${today}&to=${today}&feature=api_requests`,
      ).expect(200);
      expect(totals.body).toEqual([
        { day: today, feature: 'api_requests', model: null, quantity: 2, events: 1 },
        { day: today, feature: 'api_requests', model: 'gpt-4o', quantity: 3, events: 1 },
      ]);
    });

    it('refuses bad input with 400 and a feature the level lacks with 403', async () => {
      const user = await registerUser(t.http);
      await post(user, '/usage').send({ feature: 'api_requests', quantity: 0 }).expect(400);
      await post(user, '/usage').send({ feature: 'api_requests', quantity: 1.5 }).expect(400);
      await post(user, '/usage').send({ feature: 'sso', quantity: 1 }).expect(403);
      await get(user, '/usage?from=yesterday&to=2026-01-01').expect(400);
    });
  });

  describe('seats', () => {
    const invite = (owner: RegisteredUser) =>
      post(owner, '/invitations').send({ email: uniqueEmail('invitee'), role: 'member' });

    it('counts members and pending invitations against the level and refuses the invitation past it', async () => {
      const owner = await registerUser(t.http);
      for (let i = 0; i < 4; i++) await invite(owner).expect(201);
      const refused = await invite(owner).expect(403);
      expect(refused.body).toMatchObject({
        code: 'FEATURE_NOT_ENTITLED',
        detail: expect.stringContaining('seats'),
      });
    });

    onPostgres('lets concurrent invitations take no more than the free seats', async () => {
      const owner = await registerUser(t.http);
      const responses = await Promise.all(Array.from({ length: 10 }, () => invite(owner)));
      expect(responses.filter((r) => r.status === 201)).toHaveLength(4);
      expect(responses.filter((r) => r.status === 403)).toHaveLength(6);
      const [{ count }] = await db.query(
        'SELECT count(*)::int AS count FROM invitations WHERE organization_id = $1',
        [owner.organizationId],
      );
      expect(count).toBe(4);
    });
  });
});
