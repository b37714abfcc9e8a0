import { Injectable } from '@nestjs/common';
import { countBy } from '../../database/count-by.js';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import { queryRecords } from '../../database/query-records.js';
import {
  LIVE_SUBSCRIPTION_STATUSES,
  Subscription,
  type SubscriptionStatus,
} from './entities/subscription.entity.js';

export interface StripeSubscriptionRow {
  organizationId: string;
  stripeSubscriptionId: string;
  productKey: string;
  tier: string;
  billingCycle: string;
  status: SubscriptionStatus;
  region: string;
  currency: string;
  currentPeriodEnd: Date | null;
  trialEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  eventCreated: number;
}

@Injectable()
export class SubscriptionRepository {
  constructor(
    @InjectRepository(Subscription) private readonly subscriptions: Repository<Subscription>,
  ) {}

  listOfOrganization(organizationId: string): Promise<Subscription[]> {
    return this.subscriptions.find({ where: { organizationId }, order: { createdAt: 'DESC' } });
  }

  findOne(
    organizationId: string,
    id: string,
    manager?: EntityManager,
  ): Promise<Subscription | null> {
    return (manager?.getRepository(Subscription) ?? this.subscriptions).findOneBy({
      organizationId,
      id,
    });
  }

  async update(
    manager: EntityManager,
    id: string,
    patch: Partial<
      Pick<
        Subscription,
        | 'status'
        | 'cancelAtPeriodEnd'
        | 'currentPeriodEnd'
        | 'tier'
        | 'billingCycle'
        | 'pendingChange'
      >
    >,
  ): Promise<void> {
    await manager.getRepository(Subscription).update({ id }, patch);
  }

  findByStripeId(
    organizationId: string,
    stripeSubscriptionId: string,
    manager?: EntityManager,
  ): Promise<Subscription | null> {
    return (manager?.getRepository(Subscription) ?? this.subscriptions).findOneBy({
      organizationId,
      stripeSubscriptionId,
    });
  }

  /**
   * Upserts a subscription as Stripe reported it in an event created at `eventCreated`. The
   * WHERE on the update keeps a late, older event from rolling back what a newer one applied.
   * Returns false when the event was older and nothing changed.
   */
  async upsertFromEvent(manager: EntityManager, row: StripeSubscriptionRow): Promise<boolean> {
    const rows = await queryRecords<{ id: string }>(
      manager,
      `INSERT INTO subscriptions (organization_id, stripe_subscription_id, product_key, tier, billing_cycle, status, region,
                                  currency, current_period_end, trial_end, cancel_at_period_end, last_event_created)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (stripe_subscription_id) DO UPDATE SET
         tier = EXCLUDED.tier, billing_cycle = EXCLUDED.billing_cycle, status = EXCLUDED.status,
         current_period_end = EXCLUDED.current_period_end, trial_end = EXCLUDED.trial_end,
         cancel_at_period_end = EXCLUDED.cancel_at_period_end, last_event_created = EXCLUDED.last_event_created,
         updated_at = now()
       WHERE subscriptions.last_event_created IS NULL OR subscriptions.last_event_created <= EXCLUDED.last_event_created
       RETURNING id`,
      [
        row.organizationId,
        row.stripeSubscriptionId,
        row.productKey,
        row.tier,
        row.billingCycle,
        row.status,
        row.region,
        row.currency,
        row.currentPeriodEnd,
        row.trialEnd,
        row.cancelAtPeriodEnd,
        row.eventCreated,
      ],
    );
    return rows.length === 1;
  }

  /** Applies `patch` to the organization's subscription with this Stripe id; false when there is none. */
  async updateByStripeId(
    manager: EntityManager,
    organizationId: string,
    stripeSubscriptionId: string,
    patch: Partial<Pick<Subscription, 'status' | 'gracePeriodEnd'>>,
  ): Promise<boolean> {
    const result = await manager
      .getRepository(Subscription)
      .update({ organizationId, stripeSubscriptionId }, patch);
    return Boolean(result.affected);
  }

  async hasLive(organizationId: string, manager?: EntityManager): Promise<boolean> {
    return (manager?.getRepository(Subscription) ?? this.subscriptions).existsBy({
      organizationId,
      status: In(LIVE_SUBSCRIPTION_STATUSES),
    });
  }

  async organizationsWithLive(): Promise<string[]> {
    const rows = await this.subscriptions
      .createQueryBuilder('subscription')
      .select('DISTINCT subscription.organizationId', 'organizationId')
      .where('subscription.status IN (:...statuses)', { statuses: LIVE_SUBSCRIPTION_STATUSES })
      .getRawMany<{ organizationId: string }>();
    return rows.map((row) => row.organizationId);
  }

  /** Organizations with a subscription still `trialing` after its trial ended. */
  async organizationsWithEndedTrials(): Promise<string[]> {
    const rows = await this.subscriptions
      .createQueryBuilder('subscription')
      .select('DISTINCT subscription.organizationId', 'organizationId')
      .where("subscription.status = 'trialing' AND subscription.trialEnd <= now()")
      .getRawMany<{ organizationId: string }>();
    return rows.map((row) => row.organizationId);
  }

  /** Trialing, active or past-due subscriptions, newest first. */
  findLive(organizationId: string, manager?: EntityManager): Promise<Subscription[]> {
    return (manager?.getRepository(Subscription) ?? this.subscriptions).find({
      where: { organizationId, status: In(LIVE_SUBSCRIPTION_STATUSES) },
      order: { createdAt: 'DESC' },
    });
  }

  /**
   * Ends the grace periods that ran out: past-due subscriptions whose `grace_period_end` has
   * passed become `expired`, in one conditional UPDATE (a payment that lands at the same moment
   * and clears the grace period wins). Returns what it expired.
   */
  async expireGracePeriods(manager: EntityManager): Promise<Subscription[]> {
    const rows = await queryRecords<{ id: string }>(
      manager,
      `UPDATE subscriptions SET status = 'expired', updated_at = now()
       WHERE status = 'past_due' AND grace_period_end <= now() RETURNING id`,
      [],
    );
    if (rows.length === 0) return [];
    return manager.getRepository(Subscription).findBy({ id: In(rows.map((row) => row.id)) });
  }

  async stats(): Promise<{ byStatus: Record<string, number>; byTier: Record<string, number> }> {
    return {
      byStatus: await countBy(this.subscriptions, 'status'),
      byTier: await countBy(this.subscriptions, 'tier'),
    };
  }

  /** Every organization's subscriptions for operators, newest first. */
  list(
    filter: { status?: string; tier?: string },
    page: { limit: number; offset: number },
  ): Promise<[Subscription[], number]> {
    return this.subscriptions.findAndCount({
      where: {
        ...(filter.status ? { status: filter.status as Subscription['status'] } : {}),
        ...(filter.tier ? { tier: filter.tier } : {}),
      },
      order: { createdAt: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
  }
}
