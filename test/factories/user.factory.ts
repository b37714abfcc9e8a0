import { randomUUID } from 'node:crypto';
import { generate } from 'otplib';
import type TestAgent from 'supertest/lib/agent.js';

export interface RegisteredUser {
  email: string;
  password: string;
  userId: string;
  organizationId: string;
  accessToken: string;
  refreshToken: string;
}

export const uniqueEmail = (label = 'user'): string => `${label}-${randomUUID()}@example.com`;

/** Registers a fresh user through the API, as a client would. */
export async function registerUser(
  http: TestAgent,
  overrides: { email?: string; password?: string; fullName?: string; username?: string } = {},
): Promise<RegisteredUser> {
  const email = overrides.email ?? uniqueEmail();
  const password = overrides.password ?? `pw-${randomUUID()}`;
  const response = await http
    .post('/v1/auth/register')
    .send({ ...overrides, email, password })
    .expect(201);
  const body = response.body as {
    user: { id: string };
    organization: { id: string };
    tokens: { accessToken: string; refreshToken: string };
  };
  return {
    email,
    password,
    userId: body.user.id,
    organizationId: body.organization.id,
    accessToken: body.tokens.accessToken,
    refreshToken: body.tokens.refreshToken,
  };
}

/** Turns TOTP on through the API; the secret makes codes, the recovery codes are shown once. */
export async function enableMfa(
  http: TestAgent,
  accessToken: string,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await http.post('/v1/auth/mfa/setup').auth(accessToken, { type: 'bearer' });
  const secret = (setup.body as { secret: string }).secret;
  const enabled = await http
    .post('/v1/auth/mfa/enable')
    .auth(accessToken, { type: 'bearer' })
    .send({ code: await generate({ secret }) })
    .expect(200);
  return { secret, recoveryCodes: (enabled.body as { recoveryCodes: string[] }).recoveryCodes };
}
