import { randomUUID } from 'node:crypto';
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
