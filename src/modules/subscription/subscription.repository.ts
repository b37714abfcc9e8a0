import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Not, type EntityManager, type Repository } from 'typeorm';
import { countBy } from '../../database/count-by.js';
import { LIVE_SUBSCRIPTION_STATUSES, Subscription } from './entities/subscription.entity.js';

/** The columns a write of the subscription path may set. */
export type SubscriptionWrite = Partial<
  Pick<
    Subscription,
    | 'tier'
    | 'billingCycle'
    | 'region'
    | 'currency'
    | 'status'
    | 'currentPeriodEnd'
    | 'trialEnd'
    | 'cancelAtPeriodEnd'
    | 'gracePeriodEnd'
    | 'pendingChange'
    | 'flaggedReason'
    | 'lastPaymentFailure'
    | 'lastEventCreated'
    | 'syncedAt'
  >
>;

export type NewSubscription = Pick<
  Subscription,
  'organizationId' | 'stripeSubscriptionId' | 'productKey' | 'tier' | 'billingCycle' | 'status'
> &
  SubscriptionWrite;

@Injectable()
export class SubscriptionRepository {
  constructor(
    @InjectRepository(Subscription) private readonly subscriptions: Repository<Subscription>,
  ) {}

  listOfOrganization(organizationId: string): Promise<Subscription[]> {
    return this.subscriptions.find({ where: { organizationId }, order: { createdAt: 'DESC' } });
  }

  findOne(organizationId: string, id: string): Promise<Subscription | null> {
    return this.subscriptions.findOneBy({ organizationId, id });
  }

  findByStripeId(
    organizationId: string,
    stripeSubscriptionId: string,
  ): Promise<Subscription | null> {
    return this.subscriptions.findOneBy({ organizationId, stripeSubscriptionId });
  }

  /**
   * The row, locked until the caller's transaction ends: every write of a subscription reads
   * what it changes under this lock, so two deliveries for one subscription apply one at a time.
   */
  lockByStripeId(
    manager: EntityManager,
    organizationId: string,
    stripeSubscriptionId: string,
  ): Promise<Subscription | null> {
    return manager.getRepository(Subscription).findOne({
      where: { organizationId, stripeSubscriptionId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  lockById(
    manager: EntityManager,
    organizationId: string,
    id: string,
  ): Promise<Subscription | null> {
    return manager
      .getRepository(Subscription)
      .findOne({ where: { organizationId, id }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Inserts a subscription Stripe told us of for the first time. When a concurrent delivery
   * inserted it first (the unique Stripe id), returns null: the caller locks and updates it.
   */
  async insertIfAbsent(manager: EntityManager, row: NewSubscription): Promise<Subscription | null> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(Subscription)
      .values(row)
      .orIgnore()
      .returning('id')
      .execute();
    const id = (result.raw as { id: string }[])[0]?.id;
    return id ? manager.getRepository(Subscription).findOneBy({ id }) : null;
  }

  /** The organization of a subscription, for operators who name the subscription alone. */
  async organizationOf(id: string): Promise<string | null> {
    const row = await this.subscriptions.findOne({
      select: { id: true, organizationId: true },
      where: { id },
    });
    return row?.organizationId ?? null;
  }

  /** Writes a subscription's columns; only SubscriptionChanges calls it (the one write path). */
  async write(manager: EntityManager, id: string, patch: SubscriptionWrite): Promise<void> {
    await manager.getRepository(Subscription).update({ id }, patch);
  }

  /** Stripe's `created` of the newest event applied to this subscription, read without a lock. */
  async lastEventCreated(
    organizationId: string,
    stripeSubscriptionId: string,
  ): Promise<number | null> {
    const row = await this.subscriptions.findOne({
      select: { id: true, lastEventCreated: true },
      where: { organizationId, stripeSubscriptionId },
    });
    return row?.lastEventCreated ? Number(row.lastEventCreated) : null;
  }

  /** Whether the organization ever had a subscription (the trial is given once). */
  hasAny(organizationId: string): Promise<boolean> {
    return this.subscriptions.existsBy({ organizationId });
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
   * Past-due subscriptions whose grace period has run out, locked for the grace-period job. Rows
   * another replica holds are skipped (`SKIP LOCKED`), so each expires once; a payment that
   * clears the grace period first leaves nothing to find.
   */
  lockPastGracePeriod(manager: EntityManager, limit = 100): Promise<Subscription[]> {
    return manager
      .getRepository(Subscription)
      .createQueryBuilder('subscription')
      .where("subscription.status = 'past_due' AND subscription.gracePeriodEnd <= now()")
      .orderBy('subscription.gracePeriodEnd')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  async stats(): Promise<{ byStatus: Record<string, number>; byTier: Record<string, number> }> {
    return {
      byStatus: await countBy(this.subscriptions, 'status'),
      byTier: await countBy(this.subscriptions, 'tier'),
    };
  }

  /** Every organization's subscriptions for operators, newest first. */
  list(
    filter: { status?: string; tier?: string; flagged?: boolean },
    page: { limit: number; offset: number },
  ): Promise<[Subscription[], number]> {
    return this.subscriptions.findAndCount({
      where: {
        ...(filter.status ? { status: filter.status as Subscription['status'] } : {}),
        ...(filter.tier ? { tier: filter.tier } : {}),
        ...(filter.flagged === undefined
          ? {}
          : { flaggedReason: filter.flagged ? Not(IsNull()) : IsNull() }),
      },
      order: { createdAt: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
  }
}
