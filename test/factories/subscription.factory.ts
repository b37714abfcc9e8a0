import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

export interface SubscriptionRow {
  stripeSubscriptionId?: string;
  tier?: string;
  status?: 'trialing' | 'active' | 'past_due' | 'canceled' | 'expired';
  currentPeriodEnd?: Date | null;
  trialEnd?: Date | null;
  gracePeriodEnd?: Date | null;
}

const DAY_MS = 86_400_000;
export const daysFromNow = (days: number): Date => new Date(Date.now() + days * DAY_MS);

/**
 * A subscription row as the webhook would record it (monthly, US): for tests of what reads
 * subscriptions, without running a whole checkout. Returns the row id.
 */
export async function insertSubscription(
  db: DataSource,
  organizationId: string,
  row: SubscriptionRow = {},
): Promise<string> {
  const [inserted] = await db.query<{ id: string }[]>(
    `INSERT INTO subscriptions (organization_id, stripe_subscription_id, product_key, tier, billing_cycle, status, region,
                                currency, current_period_end, trial_end, grace_period_end)
     VALUES ($1, $2, 'app', $3, 'monthly', $4, 'US', 'USD', $5, $6, $7) RETURNING id`,
    [
      organizationId,
      row.stripeSubscriptionId ?? `sub_test_${randomUUID()}`,
      row.tier ?? 'basic',
      row.status ?? 'active',
      row.currentPeriodEnd ?? null,
      row.trialEnd ?? null,
      row.gracePeriodEnd ?? null,
    ],
  );
  return inserted.id;
}
