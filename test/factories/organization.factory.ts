import type TestAgent from 'supertest/lib/agent.js';
import type { DataSource } from 'typeorm';
import type { RegisteredUser } from './user.factory.js';

/** Puts `user` into the organization with `role`, as an accepted invitation would. */
export async function addMember(
  db: DataSource,
  organizationId: string,
  user: RegisteredUser,
  role: 'owner' | 'admin' | 'billing' | 'member',
): Promise<void> {
  await db.query('INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, $3)', [
    organizationId,
    user.userId,
    role,
  ]);
}

/** Creates an API key through the API as the organization's owner; returns the key itself. */
export async function createApiKey(
  http: TestAgent,
  owner: RegisteredUser,
  scopes: string[],
  organizationId = owner.organizationId,
): Promise<{ id: string; key: string }> {
  const response = await http
    .post(`/v1/organizations/${organizationId}/api-keys`)
    .auth(owner.accessToken, { type: 'bearer' })
    .send({ name: 'test key', scopes })
    .expect(201);
  return { id: response.body.id as string, key: response.body.key as string };
}
