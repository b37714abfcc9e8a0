import type { RegisteredUser } from '../../factories/user.factory.js';
import type { TestApp } from '../test-app.js';
import { webhookDelivery } from './deliver-webhook.js';
import type { StripeObject, StripeStub } from './stripe-stub.js';

const urls = { successUrl: 'https://app.example.com/ok', cancelUrl: 'https://app.example.com/no' };

/**
 * Subscribes the user's organization to `tier` the way it happens for real: checkout, the
 * customer pays, Stripe delivers `checkout.session.completed` and `customer.subscription.created`.
 * Returns Stripe's subscription.
 */
export async function subscribeThroughCheckout(
  t: TestApp,
  stripe: StripeStub,
  webhookSecret: string,
  user: RegisteredUser,
  tier: string,
): Promise<StripeObject> {
  const checkout = await t.http
    .post(`/v1/organizations/${user.organizationId}/checkout/subscription`)
    .auth(user.accessToken, { type: 'bearer' })
    .send({ ...urls, tier, billingCycle: 'monthly' })
    .expect(201);
  const completed = stripe.completeCheckout(checkout.body.sessionId as string);
  const subscription = stripe.subscriptions.get(completed.data.object.subscription as string)!;
  const deliver = webhookDelivery(t, stripe, webhookSecret);
  await deliver(completed).expect(200);
  await deliver(stripe.event('customer.subscription.created', subscription)).expect(200);
  return subscription;
}
