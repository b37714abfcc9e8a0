import { DataSource } from 'typeorm';
import { registerUser, type RegisteredUser } from '../factories/user.factory.js';
import { webhookDelivery } from '../support/stripe/deliver-webhook.js';
import { StripeStub, type StripeEvent } from '../support/stripe/stripe-stub.js';
import { subscribeThroughCheckout } from '../support/stripe/subscribe.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const bearer = { type: 'bearer' as const };
const WEBHOOK_SECRET = 'whsec_lifecycle';
const ADMIN_KEY = 'admin-key-lifecycle-0123456789abcdef';
const urls = { successUrl: 'https://app.example.com/ok', cancelUrl: 'https://app.example.com/no' };
const DAY_MS = 86_400_000;

/** Each bullet of "subscriptions follow Stripe exactly", as Stripe would make it happen. */
describe('Subscriptions follow Stripe, whatever the order (e2e)', () => {
  let t: TestApp;
  let stripe: StripeStub;
  let db: DataSource;

  beforeAll(async () => {
    stripe = await new StripeStub().start();
    t = await createTestApp({
      ...stripe.env(),
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      INTERNAL_API_KEY: ADMIN_KEY,
    });
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
    await stripe.stop();
  });

  const deliver = (...events: StripeEvent[]) =>
    events.reduce(
      (previous, event) =>
        previous.then(async () => {
          await webhookDelivery(t, stripe, WEBHOOK_SECRET)(event).expect(200);
        }),
      Promise.resolve(),
    );
  const subscriptionOf = async (user: RegisteredUser) =>
    (
      await t.http
        .get(`/v1/organizations/${user.organizationId}/subscriptions`)
        .auth(user.accessToken, bearer)
        .expect(200)
    ).body[0];
  const levelOf = async (user: RegisteredUser) =>
    (
      await t.http
        .get(`/v1/organizations/${user.organizationId}/features`)
        .auth(user.accessToken, bearer)
        .expect(200)
    ).body.level as string;
  const subscribe = async (user: RegisteredUser, tier = 'standard') =>
    (await subscribeThroughCheckout(t, stripe, WEBHOOK_SECRET, user, tier)).id;
  const customerOf = (subscriptionId: string) =>
    stripe.subscriptions.get(subscriptionId)!.customer as string;
  const admin = {
    get: (path: string) => t.http.get(`/v1/admin${path}`).set('X-API-Key', ADMIN_KEY),
    post: (path: string) => t.http.post(`/v1/admin${path}`).set('X-API-Key', ADMIN_KEY),
    put: (path: string) => t.http.put(`/v1/admin${path}`).set('X-API-Key', ADMIN_KEY),
  };

  it('a trial stays a trial when its $0 invoice is paid, and mails no receipt', async () => {
    const user = await registerUser(t.http);
    const id = await subscribe(user);
    const trialInvoice = stripe.invoices.get(
      stripe.subscriptions.get(id)!.latest_invoice as string,
    )!;
    expect(trialInvoice.total).toBe(0);
    await deliver(stripe.event('invoice.paid', trialInvoice));
    expect(await subscriptionOf(user)).toMatchObject({ status: 'trialing', tier: 'standard' });
    expect(await levelOf(user)).toBe('trial');
    await t.settled();
    expect(t.mail.to(user.email).some((mail) => /Invoice paid/.test(mail.subject))).toBe(false);
  });

  it('a trial that converts is active on its tier, and the contact is told and sent a receipt', async () => {
    const user = await registerUser(t.http);
    const id = await subscribe(user);
    stripe.advance(10);
    await deliver(...stripe.endTrial(id));
    expect(await subscriptionOf(user)).toMatchObject({ status: 'active', tier: 'standard' });
    expect(await levelOf(user)).toBe('standard');
    await t.mail.waitFor(user.email, /plan changes from standard trial to standard/);
    await t.mail.waitFor(user.email, /Invoice paid: USD 29\.00/);
  });

  it('an older event delivered after a newer one changes nothing, and costs no Stripe read', async () => {
    const user = await registerUser(t.http);
    const id = await subscribe(user);
    stripe.advance(10);
    const [updated] = stripe.endTrial(id);
    const older = stripe.event('customer.subscription.updated', {
      ...stripe.subscriptions.get(id)!,
      status: 'trialing',
    });
    older.created = updated.created - 5;
    await deliver(updated);
    const reads = stripe.requestsTo('GET', `/v1/subscriptions/${id}`).length;
    await deliver(older);
    expect(stripe.requestsTo('GET', `/v1/subscriptions/${id}`)).toHaveLength(reads);
    expect((await subscriptionOf(user)).status).toBe('active');
  });

  it('a late invoice.paid never revives a canceled subscription, and a new checkout is allowed', async () => {
    const user = await registerUser(t.http);
    const id = await subscribe(user);
    const paid = stripe.endTrial(id)[1];
    stripe.advance(10);
    await deliver(stripe.cancel(id), paid);
    expect(await subscriptionOf(user)).toMatchObject({ status: 'canceled', isActive: false });
    const late = stripe.event('invoice.paid', paid.data.object);
    await deliver(late);
    expect((await subscriptionOf(user)).status).toBe('canceled');
    await t.http
      .post(`/v1/organizations/${user.organizationId}/checkout/subscription`)
      .auth(user.accessToken, bearer)
      .send({ ...urls, tier: 'basic', billingCycle: 'monthly' })
      .expect(201);
  });

  it('a late payment failure after the payment leaves a paid subscription active', async () => {
    const user = await registerUser(t.http);
    const id = await subscribe(user);
    await deliver(...stripe.endTrial(id));
    stripe.advance(10);
    const failure = stripe.failPayment(id);
    stripe.advance(10);
    const recovery = stripe.retryPayment(id, true);
    await deliver(...recovery, ...failure);
    expect(await subscriptionOf(user)).toMatchObject({ status: 'active', gracePeriodEnd: null });
  });

  it('a past-due episode gets one grace period, from the failed invoice, however often payment is retried', async () => {
    const user = await registerUser(t.http);
    const id = await subscribe(user);
    await deliver(...stripe.endTrial(id));
    stripe.advance(10);
    await deliver(...stripe.failPayment(id));
    const first = await subscriptionOf(user);
    const invoice = stripe.invoices.get(stripe.subscriptions.get(id)!.latest_invoice as string)!;
    const finalizedAt = (invoice.status_transitions as { finalized_at: number }).finalized_at;
    expect(first).toMatchObject({ status: 'past_due', isActive: true });
    expect(new Date(first.gracePeriodEnd).getTime()).toBe(finalizedAt * 1000 + 7 * DAY_MS);
    await t.mail.waitFor(user.email, /A payment for your subscription failed/);
    stripe.advance(3 * 86_400);
    await deliver(...stripe.retryPayment(id, false));
    expect((await subscriptionOf(user)).gracePeriodEnd).toBe(first.gracePeriodEnd);
    const [failed] = (
      await admin.get(`/subscriptions?status=past_due&perPage=100`).expect(200)
    ).body.data.filter((row: { id: string }) => row.id === first.id);
    const reason = 'insufficient_funds: Your card has insufficient funds.';
    expect(failed.lastPaymentFailure).toMatchObject({
      invoiceId: invoice.id,
      attemptCount: 2,
      reason,
    });
    const invoices = await t.http
      .get(`/v1/organizations/${user.organizationId}/invoices`)
      .auth(user.accessToken, bearer)
      .expect(200);
    expect(invoices.body.find((i: { id: string }) => i.id === invoice.id)).toMatchObject({
      status: 'open',
      attemptCount: 2,
      nextPaymentAttempt: new Date(Number(invoice.next_payment_attempt) * 1000).toISOString(),
      lastPaymentError: reason,
    });
  });

  it('an expired subscription stays expired on a later past-due update, and comes back when Stripe reports it paid', async () => {
    const user = await registerUser(t.http);
    const id = await subscribe(user);
    await deliver(...stripe.endTrial(id));
    await deliver(...stripe.failPayment(id));
    const { id: rowId } = await subscriptionOf(user);
    await admin
      .put(`/subscriptions/${rowId}/grace-period`)
      .send({ gracePeriodEnd: null, reason: 'customer asked to stop', ticketId: 'T-1' })
      .expect(200);
    expect(await subscriptionOf(user)).toMatchObject({ status: 'expired', isActive: false });
    stripe.advance(10);
    await deliver(stripe.event('customer.subscription.updated', stripe.subscriptions.get(id)!));
    expect((await subscriptionOf(user)).status).toBe('expired');
    stripe.advance(10);
    await deliver(...stripe.retryPayment(id, true));
    expect(await subscriptionOf(user)).toMatchObject({ status: 'active', isActive: true });
  });

  it('an operator grants a grace period by hand to a past-due subscription, audited with reason and ticket', async () => {
    const user = await registerUser(t.http);
    const stripeId = await subscribe(user);
    const { id } = await subscriptionOf(user);
    await admin
      .put(`/subscriptions/${id}/grace-period`)
      .send({ gracePeriodEnd: null, reason: 'paid plan', ticketId: 'T-0' })
      .expect(409);
    await deliver(...stripe.endTrial(stripeId, false));
    const until = new Date(Date.now() + 30 * DAY_MS).toISOString();
    const answer = await admin
      .put(`/subscriptions/${id}/grace-period`)
      .send({ gracePeriodEnd: until, reason: 'goodwill', ticketId: 'T-2' })
      .expect(200);
    expect(answer.body.gracePeriodEnd).toBe(until);
    await admin
      .put(`/subscriptions/${id}/grace-period`)
      .send({ gracePeriodEnd: until })
      .expect(400);
    const audit = (await admin.get(`/audit-logs?entityId=${id}`).expect(200)).body.data;
    expect(audit[0]).toMatchObject({
      actorType: 'ADMIN',
      metadata: { reason: 'goodwill', ticketId: 'T-2' },
    });
  });

  it('a downgrade scheduled for the period end takes effect when Stripe moves to the next phase', async () => {
    const user = await registerUser(t.http);
    const id = await subscribe(user, 'advanced');
    const { id: rowId } = await subscriptionOf(user);
    const changed = await t.http
      .post(`/v1/organizations/${user.organizationId}/subscriptions/${rowId}/change`)
      .auth(user.accessToken, bearer)
      .send({ tier: 'basic', billingCycle: 'monthly' })
      .expect(200);
    expect(changed.body).toMatchObject({
      tier: 'advanced',
      pendingChange: { tier: 'basic', billingCycle: 'monthly' },
    });
    stripe.advance(10);
    await deliver(...stripe.renew(id));
    expect(await subscriptionOf(user)).toMatchObject({ tier: 'basic', pendingChange: null });
    expect(await levelOf(user)).toBe('basic');
  });

  it('a plan switched in the portal, and a downgrade scheduled there, are recognised by their price', async () => {
    const user = await registerUser(t.http);
    const id = await subscribe(user, 'basic');
    stripe.advance(10);
    await deliver(stripe.switchPrice(id, { unitAmount: 19900, interval: 'month' }));
    expect(await subscriptionOf(user)).toMatchObject({ tier: 'pro', billingCycle: 'monthly' });
    stripe.advance(10);
    await deliver(stripe.scheduleChange(id, { unitAmount: 2900, interval: 'month' }));
    expect((await subscriptionOf(user)).pendingChange).toMatchObject({ tier: 'standard' });
  });

  it('a subscription made outside our checkout on an unknown price is stored, flagged and acknowledged', async () => {
    const user = await registerUser(t.http);
    await subscribe(user);
    await deliver(stripe.cancel([...stripe.subscriptions.keys()].at(-1)!));
    const created = stripe.createOutsideSubscription(
      customerOf([...stripe.subscriptions.keys()].at(-1)!),
      { unitAmount: 12345, interval: 'month' },
    );
    await deliver(created);
    await deliver(stripe.event('customer.subscription.updated', created.data.object));
    const row = await subscriptionOf(user);
    expect(row).toMatchObject({ status: 'active', tier: 'unknown' });
    expect(await levelOf(user)).toBe('free');
    const flagged = (await admin.get('/subscriptions?flagged=true&perPage=100').expect(200)).body
      .data;
    expect(flagged.find((s: { id: string }) => s.id === row.id)?.flaggedReason).toMatch(
      /price outside the catalog/,
    );
  });

  it('a second live subscription at Stripe is flagged and the owners are told', async () => {
    const user = await registerUser(t.http);
    const id = await subscribe(user);
    await deliver(
      stripe.createOutsideSubscription(customerOf(id), { unitAmount: 900, interval: 'month' }),
    );
    const flagged = (await admin.get('/subscriptions?flagged=true&perPage=100').expect(200)).body
      .data;
    expect(
      flagged.some(
        (s: { organizationId: string; flaggedReason: string }) =>
          s.organizationId === user.organizationId && /second live/.test(s.flaggedReason),
      ),
    ).toBe(true);
    await t.mail.waitFor(user.email, /pays for two subscriptions/);
  });

  it('an upgrade whose payment fails leaves the old tier (402 PAYMENT_FAILED)', async () => {
    const user = await registerUser(t.http);
    const id = await subscribe(user, 'basic');
    await deliver(...stripe.endTrial(id));
    stripe.declining.add(customerOf(id));
    const { id: rowId } = await subscriptionOf(user);
    const answer = await t.http
      .post(`/v1/organizations/${user.organizationId}/subscriptions/${rowId}/change`)
      .auth(user.accessToken, bearer)
      .send({ tier: 'pro', billingCycle: 'monthly' })
      .expect(402);
    expect(answer.body.code).toBe('PAYMENT_FAILED');
    expect(await subscriptionOf(user)).toMatchObject({
      tier: 'basic',
      status: 'active',
      gracePeriodEnd: null,
    });
    expect(await levelOf(user)).toBe('basic');
    const update = stripe.requestsTo('POST', `/v1/subscriptions/${id}`).at(-1)!;
    expect(update.body).toMatchObject({
      proration_behavior: 'always_invoice',
      payment_behavior: 'pending_if_incomplete',
    });
  });

  it('a checkout for another plan expires the older open session; concurrent ones leave one open', async () => {
    const user = await registerUser(t.http);
    const start = (tier: string) =>
      t.http
        .post(`/v1/organizations/${user.organizationId}/checkout/subscription`)
        .auth(user.accessToken, bearer)
        .send({ ...urls, tier, billingCycle: 'monthly' });
    const first = (await start('basic').expect(201)).body;
    const second = (await start('pro').expect(201)).body;
    expect(stripe.sessions.get(first.sessionId)!.status).toBe('expired');
    expect(stripe.sessions.get(second.sessionId)!.status).toBe('open');
    await Promise.all(['standard', 'advanced', 'basic'].map((tier) => start(tier)));
    const open = [...stripe.sessions.values()].filter(
      (session) =>
        session.status === 'open' &&
        (session.metadata as Record<string, string>).organizationId === user.organizationId,
    );
    expect(open).toHaveLength(1);
  });

  it('the trial is given once: a second subscription starts without one', async () => {
    const user = await registerUser(t.http);
    const id = await subscribe(user, 'basic');
    await deliver(stripe.cancel(id));
    const second = await t.http
      .post(`/v1/organizations/${user.organizationId}/checkout/subscription`)
      .auth(user.accessToken, bearer)
      .send({ ...urls, tier: 'basic', billingCycle: 'monthly' })
      .expect(201);
    const request = stripe
      .requestsTo('POST', '/v1/checkout/sessions')
      .find((r) => r.idempotencyKey === `checkout-session:${second.body.intentId}`)!;
    expect(request.body.subscription_data.trial_period_days).toBeUndefined();
  });

  it('an organization with a live subscription cannot be deleted (409 LIVE_SUBSCRIPTION)', async () => {
    const user = await registerUser(t.http);
    const id = await subscribe(user);
    const remove = () =>
      t.http.delete(`/v1/organizations/${user.organizationId}`).auth(user.accessToken, bearer);
    expect((await remove().expect(409)).body.code).toBe('LIVE_SUBSCRIPTION');
    await deliver(stripe.cancel(id));
    await remove().expect(204);
  });

  it('a cancellation in the portal mails the billing contact; the admin sync is audited even without drift', async () => {
    const user = await registerUser(t.http);
    const id = await subscribe(user);
    stripe.advance(10);
    await deliver(stripe.setCancelAtPeriodEnd(id, true));
    await t.mail.waitFor(user.email, /subscription was canceled/);
    const sync = await admin
      .post(`/organizations/${user.organizationId}/sync`)
      .send({ reason: 'customer called', ticketId: 'T-3' })
      .expect(200);
    expect(sync.body.corrected).toBe(0);
    const { id: rowId } = await subscriptionOf(user);
    const audit = (await admin.get(`/audit-logs?entityId=${rowId}`).expect(200)).body.data;
    expect(audit[0]).toMatchObject({
      actorType: 'ADMIN',
      metadata: { reason: 'customer called', ticketId: 'T-3' },
    });
  });

  it('every audit row of a subscription names the row, whoever wrote it', async () => {
    const user = await registerUser(t.http);
    const id = await subscribe(user);
    const { id: rowId } = await subscriptionOf(user);
    await t.http
      .post(`/v1/organizations/${user.organizationId}/subscriptions/${rowId}/cancel`)
      .auth(user.accessToken, bearer)
      .send({ atPeriodEnd: true })
      .expect(200);
    await deliver(...stripe.endTrial(id));
    const rows = await db.query<{ entity_id: string }[]>(
      `SELECT entity_id FROM audit_logs WHERE entity_type = 'SUBSCRIPTION' AND metadata->>'stripeSubscriptionId' = $1`,
      [id],
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(new Set(rows.map((row) => row.entity_id))).toEqual(new Set([rowId]));
  });
});
