import type { TestApp } from '../test-app.js';
import type { StripeEvent, StripeStub } from './stripe-stub.js';

export interface DeliveryOptions {
  secret?: string;
  timestamp?: number;
  /** A signature header of the test's own; null sends none. */
  signature?: string | null;
}

/** Delivers events over HTTP as Stripe does, signed with the endpoint's secret. */
export function webhookDelivery(t: TestApp, stripe: StripeStub, endpointSecret: string) {
  return (event: StripeEvent, options: DeliveryOptions = {}) => {
    const { body, signature } = stripe.sign(
      event,
      options.secret ?? endpointSecret,
      options.timestamp,
    );
    const request = t.http.post('/v1/webhooks/stripe').set('Content-Type', 'application/json');
    if (options.signature !== null)
      void request.set('Stripe-Signature', options.signature ?? signature);
    return request.send(body);
  };
}
