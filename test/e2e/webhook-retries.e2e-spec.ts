import { DataSource } from 'typeorm';
import { registerUser } from '../factories/user.factory.js';
import { webhookDelivery } from '../support/stripe/deliver-webhook.js';
import { StripeStub, type StripeEvent } from '../support/stripe/stripe-stub.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const WEBHOOK_SECRET = 'whsec_retries';
const ADMIN_KEY = 'admin-key-for-retries-0123456789';
const onPostgres = process.env.DATABASE_URL ? it : it.skip;

describe('Retrying failed Stripe events (e2e)', () => {
  let t: TestApp;
  let stripe: StripeStub;
  let db: DataSource;
  const env = () => ({
    ...stripe.env(),
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    INTERNAL_API_KEY: ADMIN_KEY,
    JOBS_ENABLED: 'false',
  });

  beforeAll(async () => {
    stripe = await new StripeStub().start();
    t = await createTestApp(env());
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
    await stripe.stop();
  });

  const inbox = async (id: string) =>
    (
      await db.query<{ status: string; attempts: number }[]>(
        'SELECT status, attempts FROM stripe_events WHERE id = $1',
        [id],
      )
    )[0];

  /** A subscription event of a customer we do not know yet: it fails until we do. */
  async function failedEvent(): Promise<{ event: StripeEvent; customer: string }> {
    const customer = `cus_test_${Math.random().toString(36).slice(2)}`;
    const subscription = stripe.createSubscription(customer, {
      unitAmount: 900,
      interval: 'month',
    });
    subscription.metadata = { tier: 'basic', billingCycle: 'monthly' };
    const event = stripe.event('customer.subscription.created', subscription);
    await webhookDelivery(t, stripe, WEBHOOK_SECRET)(event).expect(500);
    return { event, customer };
  }

  async function knowCustomer(customer: string): Promise<void> {
    const user = await registerUser(t.http);
    await db.query(
      'INSERT INTO billing_customers (organization_id, stripe_customer_id) VALUES ($1, $2)',
      [user.organizationId, customer],
    );
  }

  const makeDue = (id: string) =>
    db.query(
      `UPDATE stripe_events SET next_attempt_at = now() - interval '1 second' WHERE id = $1`,
      [id],
    );

  describe('POST /v1/admin/webhooks/retry', () => {
    it('re-runs a failed event once, in the same transaction as its audit row', async () => {
      const { event, customer } = await failedEvent();
      await knowCustomer(customer);

      const first = await t.http
        .post('/v1/admin/webhooks/retry')
        .set('X-API-Key', ADMIN_KEY)
        .send({ eventId: event.id, reason: 'customer linked by hand', ticketId: 'OPS-1' })
        .expect(200);
      expect(first.body).toEqual({ eventId: event.id, outcome: 'processed', error: null });
      expect(await inbox(event.id)).toEqual({ status: 'processed', attempts: 2 });
      const again = await t.http
        .post('/v1/admin/webhooks/retry')
        .set('X-API-Key', ADMIN_KEY)
        .send({ eventId: event.id })
        .expect(200);
      expect(again.body.outcome).toBe('duplicate');

      const audit = await db.query(
        `SELECT actor_type, actor_id, metadata FROM audit_logs WHERE entity_type = 'WEBHOOK' AND entity_id = $1 AND action = 'RETRY'`,
        [event.id],
      );
      expect(audit).toEqual([
        {
          actor_type: 'ADMIN',
          actor_id: expect.stringMatching(/^key:[0-9a-f]{16}$/),
          metadata: expect.objectContaining({
            reason: 'customer linked by hand',
            ticketId: 'OPS-1',
          }),
        },
      ]);
      expect(JSON.stringify(audit)).not.toContain(ADMIN_KEY);
    });

    it('reports an event that fails again without a 500, and counts the attempt', async () => {
      const { event } = await failedEvent();
      const response = await t.http
        .post('/v1/admin/webhooks/retry')
        .set('X-API-Key', ADMIN_KEY)
        .send({ eventId: event.id })
        .expect(200);
      expect(response.body).toMatchObject({
        outcome: 'failed',
        error: expect.stringContaining('cus_test_'),
      });
      expect(await inbox(event.id)).toEqual({ status: 'failed', attempts: 2 });
    });

    it('answers 404 for an event it never stored and 400 for something that is no event id', async () => {
      const unknown = await t.http
        .post('/v1/admin/webhooks/retry')
        .set('X-API-Key', ADMIN_KEY)
        .send({ eventId: 'evt_never_seen' })
        .expect(404);
      expect(unknown.body.code).toBe('NOT_FOUND');
      const bad = await t.http
        .post('/v1/admin/webhooks/retry')
        .set('X-API-Key', ADMIN_KEY)
        .send({ eventId: "'; DROP TABLE stripe_events; --" })
        .expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    });

    it.each([
      ['no key', {}],
      ['a wrong key', { 'X-API-Key': 'nope' }],
    ])('refuses %s with 401', async (_label, headers) => {
      const response = await t.http
        .post('/v1/admin/webhooks/retry')
        .set(headers)
        .send({ eventId: 'evt_x' });
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    it("refuses a platform admin's bearer token: only the internal key opens the admin API", async () => {
      const user = await registerUser(t.http);
      await db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [user.userId]);
      await t.http
        .post('/v1/admin/webhooks/retry')
        .auth(user.accessToken, { type: 'bearer' })
        .send({ eventId: 'evt_x' })
        .expect(401);
    });
  });

  describe('GET /v1/admin/webhook-events', () => {
    it('lets operators list disputes and failures, newest first', async () => {
      const dispute = stripe.event('charge.dispute.created', {
        id: 'dp_test_listed',
        object: 'dispute',
        charge: 'ch_test_listed',
        amount: 999,
        currency: 'usd',
        reason: 'fraudulent',
        status: 'needs_response',
      });
      await webhookDelivery(t, stripe, WEBHOOK_SECRET)(dispute).expect(200);
      const { event: failed } = await failedEvent();

      const disputes = await t.http
        .get('/v1/admin/webhook-events?type=charge.dispute.created')
        .set('X-API-Key', ADMIN_KEY)
        .expect(200);
      expect(disputes.body.data).toEqual([
        expect.objectContaining({
          id: dispute.id,
          status: 'processed',
          object: expect.objectContaining({ id: 'dp_test_listed', amount: 999 }),
        }),
      ]);
      const failures = await t.http
        .get('/v1/admin/webhook-events?status=failed&perPage=100')
        .set('X-API-Key', ADMIN_KEY)
        .expect(200);
      expect(failures.body.data.map((e: { id: string }) => e.id)).toContain(failed.id);
      expect(failures.body.data.every((e: { status: string }) => e.status === 'failed')).toBe(true);
      await t.http
        .get('/v1/admin/webhook-events?status=weird')
        .set('X-API-Key', ADMIN_KEY)
        .expect(400);
      await t.http.get('/v1/admin/webhook-events').expect(401);
    });
  });

  describe('the webhook-retry job', () => {
    it('applies the failed events whose backoff ran out, and leaves the others for later', async () => {
      const due = await failedEvent();
      const notYet = await failedEvent();
      await knowCustomer(due.customer);
      await knowCustomer(notYet.customer);
      await makeDue(due.event.id);

      const run = await t.http
        .post('/v1/admin/jobs/webhook-retry/run')
        .set('X-API-Key', ADMIN_KEY)
        .expect(200);
      expect(run.body).toEqual({
        job: 'webhook-retry',
        ran: true,
        result: { tried: 1, applied: 1 },
      });
      expect(await inbox(due.event.id)).toEqual({ status: 'processed', attempts: 2 });
      expect(await inbox(notYet.event.id)).toEqual({ status: 'failed', attempts: 1 });
    });

    it('waits longer after each failure', async () => {
      const { event } = await failedEvent();
      await makeDue(event.id);
      await t.http.post('/v1/admin/jobs/webhook-retry/run').set('X-API-Key', ADMIN_KEY).expect(200);
      const [row] = await db.query(
        `SELECT attempts, round(extract(epoch FROM next_attempt_at - now()) / 60) AS minutes FROM stripe_events WHERE id = $1`,
        [event.id],
      );
      expect({ attempts: row.attempts, minutes: Number(row.minutes) }).toEqual({
        attempts: 2,
        minutes: 2,
      });
    });

    it('answers 404 for a job it does not have', async () => {
      await t.http.post('/v1/admin/jobs/no-such-job/run').set('X-API-Key', ADMIN_KEY).expect(404);
    });

    onPostgres('does the work once when two replicas run it at the same moment', async () => {
      const replica = await createTestApp(env(), [], { replicaOf: t });
      try {
        const events = await Promise.all([failedEvent(), failedEvent(), failedEvent()]);
        for (const { event, customer } of events) {
          await knowCustomer(customer);
          await makeDue(event.id);
        }
        const runs = await Promise.all(
          [t, replica, t, replica].map((app) =>
            app.http
              .post('/v1/admin/jobs/webhook-retry/run')
              .set('X-API-Key', ADMIN_KEY)
              .expect(200),
          ),
        );
        const applied = runs.reduce((sum, run) => sum + (run.body.result?.applied ?? 0), 0);
        expect(applied).toBe(3);
        for (const { event } of events) {
          expect(await inbox(event.id)).toEqual({ status: 'processed', attempts: 2 });
        }
      } finally {
        await replica.close();
      }
    });
  });

  it('answers 503 when no INTERNAL_API_KEY is configured', async () => {
    const unconfigured = await createTestApp({ ...env(), INTERNAL_API_KEY: '' });
    try {
      const response = await unconfigured.http
        .post('/v1/admin/webhooks/retry')
        .set('X-API-Key', ADMIN_KEY)
        .send({ eventId: 'evt_x' })
        .expect(503);
      expect(response.body.code).toBe('ADMIN_API_NOT_CONFIGURED');
    } finally {
      await unconfigured.close();
    }
  });
});
