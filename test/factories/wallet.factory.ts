import { randomUUID } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent.js';
import type { DataSource } from 'typeorm';
import type { RegisteredUser } from './user.factory.js';

/** Gives the organization `credits` as a `grant` ledger entry, keeping balance = sum of ledger. */
export async function fundWallet(
  db: DataSource,
  organizationId: string,
  credits: number,
): Promise<void> {
  await db.transaction(async (manager) => {
    await manager.query(
      'INSERT INTO wallets (organization_id) VALUES ($1) ON CONFLICT DO NOTHING',
      [organizationId],
    );
    const [{ balance }] = await manager.query(
      'SELECT balance FROM wallets WHERE organization_id = $1 FOR UPDATE',
      [organizationId],
    );
    await manager.query(
      `INSERT INTO wallet_transactions (organization_id, type, amount, balance_after, reference, description)
       VALUES ($1, 'grant', $2, $3, $4, 'test grant')`,
      [organizationId, credits, Number(balance) + credits, `grant:${randomUUID()}`],
    );
    await manager.query('UPDATE wallets SET balance = balance + $2 WHERE organization_id = $1', [
      organizationId,
      credits,
    ]);
  });
}

/** The wallet's balance and the sum of its ledger, which must always agree. */
export async function walletAndLedger(
  db: DataSource,
  organizationId: string,
): Promise<{ balance: number; held: number; ledgerSum: number }> {
  const [row] = await db.query(
    `SELECT w.balance, w.held, (SELECT coalesce(sum(amount), 0) FROM wallet_transactions t
       WHERE t.organization_id = w.organization_id) AS ledger_sum
     FROM wallets w WHERE w.organization_id = $1`,
    [organizationId],
  );
  return {
    balance: Number(row.balance),
    held: Number(row.held),
    ledgerSum: Number(row.ledger_sum),
  };
}

/** The wallet as its members see it: GET …/wallet. */
export async function walletView(
  http: TestAgent,
  user: RegisteredUser,
): Promise<Record<string, unknown>> {
  const response = await http
    .get(`/v1/organizations/${user.organizationId}/wallet`)
    .auth(user.accessToken, { type: 'bearer' })
    .expect(200);
  return response.body as Record<string, unknown>;
}
