import type { RegisteredUser } from '../../factories/user.factory.js';
import type { TestApp } from '../test-app.js';

const urls = { successUrl: 'https://app.example.com/ok', cancelUrl: 'https://app.example.com/no' };

/** Opens a Checkout for a credit pack as the user; returns our intent and Stripe's session. */
export async function checkoutCreditPack(
  t: TestApp,
  user: RegisteredUser,
  packKey = 'starter',
): Promise<{ intentId: string; sessionId: string }> {
  const response = await t.http
    .post(`/v1/organizations/${user.organizationId}/checkout/credits`)
    .auth(user.accessToken, { type: 'bearer' })
    .send({ ...urls, packKey })
    .expect(201);
  return {
    intentId: response.body.intentId as string,
    sessionId: response.body.sessionId as string,
  };
}
