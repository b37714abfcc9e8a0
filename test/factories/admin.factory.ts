import type { DataSource } from 'typeorm';
import type TestAgent from 'supertest/lib/agent.js';
import { registerUser, type RegisteredUser } from './user.factory.js';

/**
 * A platform admin. Made in the database: the only API that grants the role needs an admin or
 * the operators' key, and tests of other capabilities should not depend on it.
 */
export async function registerAdmin(http: TestAgent, db: DataSource): Promise<RegisteredUser> {
  const admin = await registerUser(http);
  await db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [admin.userId]);
  return admin;
}
