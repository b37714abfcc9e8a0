import { registerUser } from '../factories/user.factory.js';
import { SseClient } from '../support/sse-client.js';
import { webhookDelivery } from '../support/stripe/deliver-webhook.js';
import { StripeStub } from '../support/stripe/stripe-stub.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const WEBHOOK_SECRET = 'whsec_live_updates';
const urls = { successUrl: 'https://app.example.com/ok', cancelUrl: 'https://app.example.com/no' };
const onPostgres = process.env.DATABASE_URL ? it : it.skip;

describe('Live updates over Server-Sent Events (e2e)', () => {
  let t: TestApp;
  let stripe: StripeStub;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    stripe = await new StripeStub().start();
    t = await createTestApp({ ...stripe.env(), STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
  });
  afterEach(() => clients.splice(0).forEach((client) => client.close()));
  afterAll(async () => {
    await t.close();
    await stripe.stop();
  });

  async function follow(app: TestApp, organizationId: string, accessToken: string) {
    const { status, client } = await SseClient.open(
      app.app,
      `/v1/organizations/${organizationId}/events`,
      accessToken,
    );
    clients.push(client);
    return { status, client };
  }

  async function buyStarterPack(user: { organizationId: string; accessToken: string }) {
    const response = await t.http
      .post(`/v1/organizations/${user.organizationId}/checkout/credits`)
      .auth(user.accessToken, { type: 'bearer' })
      .send({ ...urls, packKey: 'starter' })
      .expect(201);
    await webhookDelivery(
      t,
      stripe,
      WEBHOOK_SECRET,
    )(stripe.completeCheckout(response.body.sessionId)).expect(200);
  }

  it("tells a member's open stream of the purchase the webhook completed, and no one else's", async () => {
    const buyer = await registerUser(t.http);
    const bystander = await registerUser(t.http);
    const { status, client } = await follow(t, buyer.organizationId, buyer.accessToken);
    expect(status).toBe(200);
    expect(client.contentType).toContain('text/event-stream');
    const other = (await follow(t, bystander.organizationId, bystander.accessToken)).client;

    await buyStarterPack(buyer);

    expect((await client.waitFor('wallet.updated')).data).toEqual({ balance: 1000 });
    expect((await client.waitFor('purchase.completed')).data).toMatchObject({ credits: 1000 });
    await t.settled();
    expect(other.events).toEqual([]);
  });

  it('tells the stream when a subscription changes', async () => {
    const user = await registerUser(t.http);
    const { client } = await follow(t, user.organizationId, user.accessToken);
    const response = await t.http
      .post(`/v1/organizations/${user.organizationId}/checkout/subscription`)
      .auth(user.accessToken, { type: 'bearer' })
      .send({ ...urls, tier: 'standard', billingCycle: 'monthly' })
      .expect(201);
    const completed = stripe.completeCheckout(response.body.sessionId);
    const subscription = stripe.subscriptions.get(completed.data.object.subscription as string)!;
    await webhookDelivery(
      t,
      stripe,
      WEBHOOK_SECRET,
    )(stripe.event('customer.subscription.created', subscription)).expect(200);

    expect((await client.waitFor('subscription.updated')).data).toMatchObject({
      stripeSubscriptionId: subscription.id,
      status: subscription.status,
      tier: 'standard',
    });
  });

  it("answers 404 to someone outside the organization and 401 to no one's token", async () => {
    const owner = await registerUser(t.http);
    const outsider = await registerUser(t.http);
    expect((await follow(t, owner.organizationId, outsider.accessToken)).status).toBe(404);
    expect((await follow(t, owner.organizationId, 'not-a-token')).status).toBe(401);
  });

  onPostgres('reaches a stream open on another replica of the service', async () => {
    const replica = await createTestApp(
      { ...stripe.env(), STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, JOBS_ENABLED: 'false' },
      [],
      { replicaOf: t },
    );
    try {
      const buyer = await registerUser(t.http);
      const { client } = await follow(replica, buyer.organizationId, buyer.accessToken);
      await buyStarterPack(buyer);
      expect((await client.waitFor('wallet.updated')).data).toEqual({ balance: 1000 });
    } finally {
      clients.splice(0).forEach((client) => client.close());
      await replica.close();
    }
  });
});
