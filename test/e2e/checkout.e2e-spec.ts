import { DataSource } from 'typeorm';
import { IntentService } from '../../src/modules/intent/intent.service.js';
import { addMember } from '../factories/organization.factory.js';
import { daysFromNow, insertSubscription } from '../factories/subscription.factory.js';
import { registerUser, type RegisteredUser } from '../factories/user.factory.js';
import { StripeStub } from '../support/stripe/stripe-stub.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const bearer = { type: 'bearer' as const };
const urls = {
  successUrl: 'https://app.example.com/ok?session_id={CHECKOUT_SESSION_ID}',
  cancelUrl: 'https://app.example.com/billing',
};

describe('Checkout (e2e)', () => {
  let t: TestApp;
  let stripe: StripeStub;
  let db: DataSource;

  beforeAll(async () => {
    stripe = await new StripeStub().start();
    t = await createTestApp(stripe.env());
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
    await stripe.stop();
  });

  const subscribe = (user: RegisteredUser, body: object, key?: string) => {
    const request = t.http
      .post(`/v1/organizations/${user.organizationId}/checkout/subscription`)
      .auth(user.accessToken, bearer);
    if (key) void request.set('Idempotency-Key', key);
    return request.send({ ...urls, ...body });
  };
  const sessionRequests = (intentId: string) =>
    stripe
      .requestsTo('POST', '/v1/checkout/sessions')
      .filter((r) => r.body.metadata?.intentId === intentId);

  describe('subscriptions', () => {
    it('creates the session with the catalog price, the right metadata and a trial', async () => {
      const user = await registerUser(t.http);
      const response = await subscribe(user, {
        tier: 'standard',
        billingCycle: 'monthly',
        region: 'EU',
      }).expect(201);
      const { intentId, sessionId, url, expiresAt } = response.body;
      expect(sessionId).toMatch(/^cs_test_/);
      expect(url).toContain(sessionId);
      expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);

      const [request] = sessionRequests(intentId);
      expect(request.idempotencyKey).toBe(`checkout-session:${intentId}`);
      expect(request.body).toMatchObject({
        mode: 'subscription',
        client_reference_id: user.organizationId,
        metadata: {
          organizationId: user.organizationId,
          intentId,
          kind: 'subscription',
          tier: 'standard',
          billingCycle: 'monthly',
          region: 'EU',
        },
        line_items: [
          {
            quantity: '1',
            price_data: { currency: 'eur', unit_amount: '2700', recurring: { interval: 'month' } },
          },
        ],
        subscription_data: { trial_period_days: '14', metadata: { intentId } },
        success_url: urls.successUrl,
      });
      const customer = stripe.customers.get(request.body.customer as string);
      expect(customer).toMatchObject({
        email: user.email,
        metadata: { organizationId: user.organizationId },
      });
      const [intent] = await db.query(
        'SELECT status, unit_amount, currency, stripe_session_id, version FROM subscription_intents WHERE id = $1',
        [intentId],
      );
      expect(intent).toEqual({
        status: 'pending',
        unit_amount: 2700,
        currency: 'EUR',
        stripe_session_id: sessionId,
        version: 2,
      });
    });

    it("uses the organization's region when none is given, and no trial for tiers without one", async () => {
      const user = await registerUser(t.http);
      await t.http
        .patch(`/v1/organizations/${user.organizationId}`)
        .auth(user.accessToken, bearer)
        .send({ region: 'GB' })
        .expect(200);
      const response = await subscribe(user, { tier: 'pro', billingCycle: 'yearly' }).expect(201);
      const [request] = sessionRequests(response.body.intentId);
      expect(request.body.line_items[0].price_data).toMatchObject({
        currency: 'gbp',
        unit_amount: '165000',
        recurring: { interval: 'year' },
      });
      expect(request.body.subscription_data.trial_period_days).toBeUndefined();
    });

    it('returns the same session for the same Idempotency-Key, and refuses the key for another purchase', async () => {
      const user = await registerUser(t.http);
      const first = await subscribe(
        user,
        { tier: 'basic', billingCycle: 'monthly' },
        'order-42',
      ).expect(201);
      const again = await subscribe(
        user,
        { tier: 'basic', billingCycle: 'monthly' },
        'order-42',
      ).expect(201);
      expect(again.body).toEqual(first.body);
      expect(sessionRequests(first.body.intentId)).toHaveLength(1);
      const reused = await subscribe(
        user,
        { tier: 'pro', billingCycle: 'monthly' },
        'order-42',
      ).expect(409);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('returns the still-open session for the same purchase without a key; one customer per organization', async () => {
      const user = await registerUser(t.http);
      const first = await subscribe(user, { tier: 'advanced', billingCycle: 'monthly' }).expect(
        201,
      );
      const second = await subscribe(user, { tier: 'advanced', billingCycle: 'monthly' }).expect(
        201,
      );
      expect(second.body.sessionId).toBe(first.body.sessionId);
      const other = await subscribe(user, { tier: 'advanced', billingCycle: 'yearly' }).expect(201);
      expect(other.body.sessionId).not.toBe(first.body.sessionId);
      const customers = [...stripe.customers.values()].filter(
        (c) => (c.metadata as Record<string, string>).organizationId === user.organizationId,
      );
      expect(customers).toHaveLength(1);
    });

    it('answers 409 ALREADY_SUBSCRIBED while a live subscription exists', async () => {
      const user = await registerUser(t.http);
      await insertSubscription(db, user.organizationId);
      const response = await subscribe(user, { tier: 'pro', billingCycle: 'monthly' }).expect(409);
      expect(response.body.code).toBe('ALREADY_SUBSCRIBED');
    });

    it('is for billing members and above', async () => {
      const owner = await registerUser(t.http);
      const [member, billing] = [await registerUser(t.http), await registerUser(t.http)];
      await addMember(db, owner.organizationId, member, 'member');
      await addMember(db, owner.organizationId, billing, 'billing');
      const path = `/v1/organizations/${owner.organizationId}/checkout/subscription`;
      const body = { ...urls, tier: 'basic', billingCycle: 'monthly' };
      await t.http.post(path).auth(member.accessToken, bearer).send(body).expect(403);
      await t.http.post(path).auth(billing.accessToken, bearer).send(body).expect(201);
    });

    it.each([
      [{ tier: 'platinum', billingCycle: 'monthly' }, 'tier'],
      [{ tier: 'free', billingCycle: 'monthly' }, 'tier'],
      [{ tier: 'basic', billingCycle: 'weekly' }, 'billingCycle'],
      [{ tier: 'basic', billingCycle: 'monthly', region: 'MARS' }, 'region'],
      [{ tier: 'basic', billingCycle: 'monthly', successUrl: 'javascript:alert(1)' }, 'successUrl'],
      [{ tier: 'basic', billingCycle: 'monthly', unitAmount: 1 }, 'unitAmount'],
    ])('rejects %j naming %s, writing nothing', async (body, field) => {
      const user = await registerUser(t.http);
      const response = await subscribe(user, body).expect(400);
      expect((response.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
      expect(
        await db.query('SELECT id FROM subscription_intents WHERE organization_id = $1', [
          user.organizationId,
        ]),
      ).toEqual([]);
    });

    it('refuses a malformed Idempotency-Key', async () => {
      const user = await registerUser(t.http);
      const response = await subscribe(
        user,
        { tier: 'basic', billingCycle: 'monthly' },
        'x'.repeat(256),
      ).expect(400);
      expect(response.body.errors[0].field).toBe('Idempotency-Key');
    });
  });

  describe('credit packs', () => {
    it('creates a payment session with the pack price and a pending purchase', async () => {
      const user = await registerUser(t.http);
      const response = await t.http
        .post(`/v1/organizations/${user.organizationId}/checkout/credits`)
        .auth(user.accessToken, bearer)
        .send({ ...urls, packKey: 'growth' })
        .expect(201);
      const [request] = sessionRequests(response.body.intentId);
      expect(request.body).toMatchObject({
        mode: 'payment',
        metadata: { kind: 'credits', packKey: 'growth', organizationId: user.organizationId },
        line_items: [{ price_data: { currency: 'usd', unit_amount: '4499' } }],
        payment_intent_data: { metadata: { intentId: response.body.intentId } },
      });
      const purchases = await db.query(
        'SELECT pack_key, credits, bonus_credits, unit_amount, currency, status, stripe_session_id FROM purchases WHERE organization_id = $1',
        [user.organizationId],
      );
      expect(purchases).toEqual([
        {
          pack_key: 'growth',
          credits: 5000,
          bonus_credits: 500,
          unit_amount: 4499,
          currency: 'USD',
          status: 'pending',
          stripe_session_id: response.body.sessionId,
        },
      ]);
    });

    it.each([
      [{ packKey: 'mega' }, 'packKey'],
      [{ packKey: 'starter', credits: 1_000_000 }, 'credits'],
    ])('rejects %j naming %s', async (body, field) => {
      const user = await registerUser(t.http);
      const response = await t.http
        .post(`/v1/organizations/${user.organizationId}/checkout/credits`)
        .auth(user.accessToken, bearer)
        .send({ ...urls, ...body })
        .expect(400);
      expect((response.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
      expect(
        await db.query('SELECT id FROM purchases WHERE organization_id = $1', [
          user.organizationId,
        ]),
      ).toEqual([]);
    });
  });

  describe('GET /v1/checkout/sessions/:sessionId', () => {
    it('reports the outcome for the success page and never grants anything itself', async () => {
      const user = await registerUser(t.http);
      const checkout = await t.http
        .post(`/v1/organizations/${user.organizationId}/checkout/credits`)
        .auth(user.accessToken, bearer)
        .send({ ...urls, packKey: 'starter' })
        .expect(201);
      const path = `/v1/checkout/sessions/${checkout.body.sessionId}`;
      for (let i = 0; i < 3; i++) {
        const pending = await t.http.get(path).auth(user.accessToken, bearer).expect(200);
        expect(pending.body).toEqual({
          status: 'pending',
          kind: 'credits',
          creditsGranted: 0,
          wallet: { balance: 0 },
          subscription: null,
        });
      }
      expect(
        await db.query('SELECT id FROM wallet_transactions WHERE organization_id = $1', [
          user.organizationId,
        ]),
      ).toEqual([]);

      // What the webhook does when Stripe confirms the payment (next issue).
      await db.query(`UPDATE purchases SET status = 'paid', paid_at = now() WHERE intent_id = $1`, [
        checkout.body.intentId,
      ]);
      await db.query(`INSERT INTO wallets (organization_id, balance) VALUES ($1, 1000)`, [
        user.organizationId,
      ]);
      const paid = await t.http.get(path).auth(user.accessToken, bearer).expect(200);
      expect(paid.body).toMatchObject({
        status: 'paid',
        creditsGranted: 1000,
        wallet: { balance: 1000 },
      });
    });

    it('shows the subscription a completed subscription checkout created', async () => {
      const user = await registerUser(t.http);
      const checkout = await subscribe(user, { tier: 'basic', billingCycle: 'monthly' }).expect(
        201,
      );
      await db.query(
        `UPDATE subscription_intents SET status = 'completed', stripe_subscription_id = 'sub_seen' WHERE id = $1`,
        [checkout.body.intentId],
      );
      await insertSubscription(db, user.organizationId, {
        stripeSubscriptionId: 'sub_seen',
        status: 'trialing',
        trialEnd: daysFromNow(14),
      });
      const response = await t.http
        .get(`/v1/checkout/sessions/${checkout.body.sessionId}`)
        .auth(user.accessToken, bearer)
        .expect(200);
      expect(response.body).toMatchObject({
        status: 'paid',
        kind: 'subscription',
        subscription: { tier: 'basic', status: 'trialing', isActive: true },
      });
    });

    it('is 404 outside the owning organization and for unknown sessions', async () => {
      const owner = await registerUser(t.http);
      const stranger = await registerUser(t.http);
      const checkout = await subscribe(owner, { tier: 'basic', billingCycle: 'monthly' }).expect(
        201,
      );
      await t.http
        .get(`/v1/checkout/sessions/${checkout.body.sessionId}`)
        .auth(stranger.accessToken, bearer)
        .expect(404);
      await t.http
        .get('/v1/checkout/sessions/cs_test_unknown')
        .auth(owner.accessToken, bearer)
        .expect(404);
      await t.http.get(`/v1/checkout/sessions/${checkout.body.sessionId}`).expect(401);
    });
  });

  describe('when Stripe is down', () => {
    it('answers 503 DEPENDENCY_UNAVAILABLE and leaves a retryable intent that the same key completes later', async () => {
      const user = await registerUser(t.http);
      await stripe.stop();
      try {
        const down = await subscribe(
          user,
          { tier: 'basic', billingCycle: 'yearly' },
          'retry-me',
        ).expect(503);
        expect(down.body.code).toBe('DEPENDENCY_UNAVAILABLE');
      } finally {
        await stripe.start();
      }
      const intents = await db.query(
        'SELECT id, status, stripe_session_id FROM subscription_intents WHERE organization_id = $1',
        [user.organizationId],
      );
      expect(intents).toEqual([
        { id: expect.any(String), status: 'pending', stripe_session_id: null },
      ]);

      const retried = await subscribe(
        user,
        { tier: 'basic', billingCycle: 'yearly' },
        'retry-me',
      ).expect(201);
      expect(retried.body.intentId).toBe(intents[0].id);
    });
  });

  describe('intents under optimistic locking', () => {
    /** A pending credits intent of a fresh organization, made directly through the service. */
    async function pendingIntent() {
      const user = await registerUser(t.http);
      return t.app.get(IntentService).create(
        { type: 'SYSTEM', id: null },
        {
          organizationId: user.organizationId,
          kind: 'credits',
          tier: null,
          billingCycle: null,
          packKey: 'starter',
          region: 'US',
          currency: 'USD',
          unitAmount: 999,
          idempotencyKey: null,
          createdBy: null,
        },
      );
    }

    it('of ten concurrent completions exactly one applies; the rest re-read and are refused', async () => {
      const intents = t.app.get(IntentService);
      const intent = await pendingIntent();
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () =>
          intents.update(intent.id, { type: 'WEBHOOK', id: null }, (current) => {
            if (current.status !== 'pending')
              throw Object.assign(new Error('not pending'), { code: 'CONFLICT' });
            return { status: 'completed' };
          }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refusals = results
        .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
        .map((r) => (r.reason as { code: string }).code);
      expect(refusals.every((code) => code === 'CONFLICT' || code === 'VERSION_CONFLICT')).toBe(
        true,
      );
      const [row] = await db.query(
        'SELECT status, version FROM subscription_intents WHERE id = $1',
        [intent.id],
      );
      expect(row).toEqual({ status: 'completed', version: 2 });
      const updates = await db.query(
        `SELECT id FROM audit_logs WHERE entity_id = $1 AND action = 'UPDATE'`,
        [intent.id],
      );
      expect(updates).toHaveLength(1);
    });

    it('loses no update: concurrent writers each see the last write, or are told 409 VERSION_CONFLICT', async () => {
      const intents = t.app.get(IntentService);
      const intent = await pendingIntent();
      // Each writer appends its mark to what it read: a blind overwrite would drop marks.
      const writers = Array.from({ length: 8 }, (_, n) =>
        intents.update(intent.id, { type: 'SYSTEM', id: null }, (current) => ({
          failureReason: `${current.failureReason ?? ''}[${n}]`,
        })),
      );
      const results = await Promise.allSettled(writers);
      const succeeded = results
        .map((r, n) => (r.status === 'fulfilled' ? n : null))
        .filter((n) => n !== null);
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(failed.every((r) => (r.reason as { code: string }).code === 'VERSION_CONFLICT')).toBe(
        true,
      );
      const [row] = await db.query<{ failure_reason: string; version: number }[]>(
        'SELECT failure_reason, version FROM subscription_intents WHERE id = $1',
        [intent.id],
      );
      expect(row.version).toBe(1 + succeeded.length);
      expect(row.failure_reason.match(/\[\d\]/g)!.sort()).toEqual(
        succeeded.map((n) => `[${n}]`).sort(),
      );
    });
  });
});

describe('Checkout without Stripe credentials (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers 503 STRIPE_NOT_CONFIGURED and writes nothing', async () => {
    const user = await registerUser(t.http);
    const response = await t.http
      .post(`/v1/organizations/${user.organizationId}/checkout/credits`)
      .auth(user.accessToken, bearer)
      .send({ ...urls, packKey: 'starter' })
      .expect(503);
    expect(response.body.code).toBe('STRIPE_NOT_CONFIGURED');
    expect(await t.app.get(DataSource).query('SELECT id FROM subscription_intents')).toEqual([]);
  });
});
