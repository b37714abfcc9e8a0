import { DataSource } from 'typeorm';
import { registerUser } from '../factories/user.factory.js';
import { webhookDelivery } from '../support/stripe/deliver-webhook.js';
import { StripeStub } from '../support/stripe/stripe-stub.js';
import { subscribeThroughCheckout } from '../support/stripe/subscribe.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const ADMIN_KEY = 'admin-key-for-stripe-ops-0123456789';
const WEBHOOK_SECRET = 'whsec_admin_stripe';
const urls = { successUrl: 'https://app.example.com/ok', cancelUrl: 'https://app.example.com/no' };

describe('Admin: reconciliation with Stripe, statistics, maintenance mode (e2e)', () => {
  let t: TestApp;
  let stripe: StripeStub;
  let db: DataSource;

  beforeAll(async () => {
    stripe = await new StripeStub().start();
    t = await createTestApp({
      ...stripe.env(),
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      INTERNAL_API_KEY: ADMIN_KEY,
      ADMIN_MAINTENANCE_MODE: 'true',
    });
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
    await stripe.stop();
  });

  const admin = {
    get: (path: string) => t.http.get(`/v1/admin${path}`).set('X-API-Key', ADMIN_KEY),
    post: (path: string) => t.http.post(`/v1/admin${path}`).set('X-API-Key', ADMIN_KEY),
  };

  const checkoutStarterPack = async (user: { organizationId: string; accessToken: string }) =>
    t.http
      .post(`/v1/organizations/${user.organizationId}/checkout/credits`)
      .auth(user.accessToken, { type: 'bearer' })
      .send({ ...urls, packKey: 'starter' })
      .expect(201);
  const local = async (id: string) =>
    (
      await db.query(
        'SELECT status, cancel_at_period_end FROM subscriptions WHERE stripe_subscription_id = $1',
        [id],
      )
    )[0];

  it('reconciliation corrects a subscription changed in Stripe behind our back, and reports one drift', async () => {
    const user = await registerUser(t.http);
    const subscription = await subscribeThroughCheckout(
      t,
      stripe,
      WEBHOOK_SECRET,
      user,
      'advanced',
    );
    // Stripe changes it and the webhook never arrives.
    subscription.cancel_at_period_end = true;
    subscription.status = 'past_due';

    const run = await admin.post('/jobs/reconciliation/run').expect(200);
    expect(run.body).toMatchObject({ ran: true, result: { drift: 1 } });
    expect(await local(subscription.id)).toEqual({
      status: 'past_due',
      cancel_at_period_end: true,
    });
    const audit = await db.query(
      `SELECT actor_type, actor_id FROM audit_logs WHERE entity_type = 'SUBSCRIPTION' AND metadata->>'stripeSubscriptionId' = $1 ORDER BY sequence`,
      [subscription.id],
    );
    expect(audit.at(-1)).toEqual({ actor_type: 'SYSTEM', actor_id: 'reconciliation' });
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/reconciliation_drift_total\{field="status"\} [1-9]/);

    const again = await admin.post('/jobs/reconciliation/run').expect(200);
    expect(again.body.result.drift).toBe(0);
  });

  it('re-reads a trial that ended without word from Stripe', async () => {
    const user = await registerUser(t.http);
    const subscription = await subscribeThroughCheckout(t, stripe, WEBHOOK_SECRET, user, 'basic');
    expect(subscription.status).toBe('trialing');
    await db.query(
      `UPDATE subscriptions SET trial_end = now() - interval '1 minute' WHERE stripe_subscription_id = $1`,
      [subscription.id],
    );
    subscription.status = 'active'; // the trial converted; the webhook never came
    const run = await admin.post('/jobs/trial-end/run').expect(200);
    expect(run.body.result).toMatchObject({ organizations: 1, corrected: 1 });
    expect((await local(subscription.id)).status).toBe('active');
  });

  it('fetches the events Stripe failed to deliver and applies them once', async () => {
    const user = await registerUser(t.http);
    const checkout = await checkoutStarterPack(user);
    stripe.undelivered.push(stripe.completeCheckout(checkout.body.sessionId));

    const run = await admin.post('/jobs/reconciliation/run').expect(200);
    expect(run.body.result.eventsApplied).toBeGreaterThanOrEqual(1);
    const wallet = await t.http
      .get(`/v1/organizations/${user.organizationId}/wallet`)
      .auth(user.accessToken, { type: 'bearer' })
      .expect(200);
    expect(wallet.body.balance).toBe(1000);
    await admin.post('/jobs/reconciliation/run').expect(200);
    const [{ count }] = await db.query(
      'SELECT count(*)::int AS count FROM wallet_transactions WHERE organization_id = $1',
      [user.organizationId],
    );
    expect(count).toBe(1);
  });

  it('settles a credit purchase still pending an hour after checkout from the session as Stripe has it', async () => {
    const user = await registerUser(t.http);
    const checkout = await checkoutStarterPack(user);
    const completed = stripe.completeCheckout(checkout.body.sessionId); // paid; no event arrives
    await db.query(
      `UPDATE purchases SET created_at = now() - interval '2 hours' WHERE intent_id = $1`,
      [checkout.body.intentId],
    );

    const run = await admin.post('/jobs/reconciliation/run').expect(200);
    expect(run.body.result.purchasesSettled).toBe(1);
    const [purchase] = await db.query('SELECT status FROM purchases WHERE intent_id = $1', [
      checkout.body.intentId,
    ]);
    expect(purchase.status).toBe('paid');
    // Stripe's own event arriving late grants nothing more.
    await webhookDelivery(t, stripe, WEBHOOK_SECRET)(completed).expect(200);
    const [{ balance }] = await db.query('SELECT balance FROM wallets WHERE organization_id = $1', [
      user.organizationId,
    ]);
    expect(Number(balance)).toBe(1000);
  });

  it("syncs one organization on an operator's request, audited as theirs", async () => {
    const user = await registerUser(t.http);
    const subscription = await subscribeThroughCheckout(t, stripe, WEBHOOK_SECRET, user, 'pro');
    subscription.status = 'canceled';
    const response = await admin
      .post(`/organizations/${user.organizationId}/sync`)
      .send({ reason: 'customer says canceled', ticketId: 'SUP-9' })
      .expect(200);
    expect(response.body).toEqual({
      checked: 1,
      corrected: 1,
      drift: [{ stripeSubscriptionId: subscription.id, fields: ['status'] }],
    });
    expect((await local(subscription.id)).status).toBe('canceled');
    const [audit] = await db.query(
      `SELECT actor_type FROM audit_logs WHERE entity_type = 'SUBSCRIPTION' AND metadata->>'stripeSubscriptionId' = $1 AND action = 'CANCEL'`,
      [subscription.id],
    );
    expect(audit.actor_type).toBe('ADMIN');
  });

  it('writes a subscription by hand in maintenance mode, with reason and ticket, and the level follows', async () => {
    const user = await registerUser(t.http);
    const body = {
      organizationId: user.organizationId,
      productKey: 'app',
      tier: 'pro',
      billingCycle: 'monthly',
    };
    await admin.post('/subscriptions').send(body).expect(400);
    await admin
      .post('/subscriptions')
      .send({ ...body, tier: 'gold', reason: 'r', ticketId: 't' })
      .expect(400);
    const created = await admin
      .post('/subscriptions')
      .send({ ...body, reason: 'Stripe outage repair', ticketId: 'INC-42' })
      .expect(201);
    expect(created.body).toMatchObject({ tier: 'pro', status: 'active', isActive: true });
    await t.settled();
    const features = await t.http
      .get(`/v1/organizations/${user.organizationId}/features`)
      .auth(user.accessToken, { type: 'bearer' })
      .expect(200);
    expect(features.body.level).toBe('pro');
    const [audit] = await db.query(
      `SELECT actor_type, metadata FROM audit_logs WHERE entity_type = 'SUBSCRIPTION' AND action = 'CREATE' AND metadata->>'organizationId' = $1`,
      [user.organizationId],
    );
    expect(audit).toMatchObject({
      actor_type: 'ADMIN',
      metadata: { reason: 'Stripe outage repair', ticketId: 'INC-42' },
    });
  });

  it('answers statistics and paged, filtered lists', async () => {
    const user = await registerUser(t.http);
    await subscribeThroughCheckout(t, stripe, WEBHOOK_SECRET, user, 'basic');
    const stats = await admin.get('/stats').expect(200);
    expect(stats.body).toMatchObject({
      users: { total: expect.any(Number) },
      organizations: { total: expect.any(Number) },
      subscriptions: {
        byStatus: expect.any(Object),
        byTier: expect.objectContaining({ basic: expect.any(Number) }),
      },
      webhookEvents: { byStatus: expect.objectContaining({ processed: expect.any(Number) }) },
      credits: { creditsSold: expect.any(Number), creditsUsed: expect.any(Number) },
    });
    const basic = await admin.get('/subscriptions?tier=basic&perPage=100').expect(200);
    expect(basic.body.data.map((s: { organizationId: string }) => s.organizationId)).toContain(
      user.organizationId,
    );
    expect(basic.body.data.every((s: { tier: string }) => s.tier === 'basic')).toBe(true);
    const [{ slug }] = await db.query('SELECT slug FROM organizations WHERE id = $1', [
      user.organizationId,
    ]);
    const found = await admin.get(`/organizations?search=${encodeURIComponent(slug)}`).expect(200);
    expect(found.body.data.map((o: { id: string }) => o.id)).toEqual([user.organizationId]);
    await admin.get('/subscriptions?status=bogus').expect(400);
  });
});
