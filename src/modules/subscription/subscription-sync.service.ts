import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/index.js';
import { billingConfig } from '../../config/billing.config.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { MailService } from '../mail/mail.service.js';
import { StripeService } from '../stripe/stripe.service.js';
import { TenantService } from '../tenant/tenant.service.js';
import { LIVE_SUBSCRIPTION_STATUSES, type Subscription } from './entities/subscription.entity.js';
import { snapshotOf, type BilledPlan } from './stripe-snapshot.js';
import {
  SubscriptionChanges,
  type ChangeContext,
  type ChangeSource,
} from './subscription-changes.js';
import {
  duplicateFlag,
  nextState,
  type RecognisedPlan,
  type SubscriptionState,
} from './subscription-transitions.js';
import { SubscriptionRepository } from './subscription.repository.js';

/** A subscription as read from Stripe, and when the read started. */
export interface StripeRead {
  remote: Stripe.Subscription;
  readAt: Date;
}

export interface SyncResult {
  subscription: Subscription | null;
  /** The fields that changed; empty when our row already said what Stripe says. */
  changed: string[];
}

/**
 * Applies Stripe's word on a subscription (DESIGN principle 1: Stripe is the source of truth).
 * Every Stripe-driven change is a read of the subscription as Stripe has it: a webhook re-reads
 * it (an event's payload may be old by the time it arrives; ties of `created` cannot be ordered),
 * our own API reads Stripe's answer, reconciliation and operators read it fresh. Reads are
 * ordered by when they started, events by Stripe's `created`; what is older changes nothing.
 */
@Injectable()
export class SubscriptionSyncService {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly changes: SubscriptionChanges,
    private readonly catalog: CatalogService,
    private readonly stripe: StripeService,
    private readonly tenants: TenantService,
    private readonly mail: MailService,
    private readonly transactions: TransactionRunner,
    @Inject(billingConfig.KEY) private readonly config: ConfigType<typeof billingConfig>,
  ) {}

  /** The subscription as Stripe has it now; null when Stripe no longer knows it. */
  async read(stripeSubscriptionId: string): Promise<StripeRead | null> {
    const readAt = new Date();
    try {
      return { remote: await this.stripe.retrieveSubscription(stripeSubscriptionId), readAt };
    } catch (error) {
      if (error instanceof DomainError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  /**
   * Whether an event created at `created` is older than the newest one already applied to the
   * subscription: the read that event caused happened after this one was sent, so it says more.
   */
  async isStale(
    organizationId: string,
    stripeSubscriptionId: string,
    created: number,
  ): Promise<boolean> {
    const newest = await this.subscriptions.lastEventCreated(organizationId, stripeSubscriptionId);
    return newest !== null && created < newest;
  }

  /**
   * Applies a subscription as Stripe reported it, inside the caller's transaction: a fresh read
   * (`source.syncedAt`) or, when Stripe no longer has it, an event's payload (`source.eventCreated`
   * alone). Nothing changes when a newer event or a later read was applied first.
   */
  async apply(
    manager: EntityManager,
    organizationId: string,
    remote: Stripe.Subscription,
    source: ChangeSource,
    context: ChangeContext,
  ): Promise<SyncResult> {
    const before = await this.subscriptions.lockByStripeId(manager, organizationId, remote.id);
    if (before && isOlder(before, source)) return { subscription: before, changed: [] };
    const snapshot = snapshotOf(remote);
    const next = nextState(before && stateOf(before), {
      snapshot,
      plan: this.recognise(snapshot.billed),
      nextPlan: snapshot.nextPhase && this.recognise(snapshot.nextPhase),
      graceDays: this.config.gracePeriodDays,
      readAt: source.syncedAt ?? new Date(),
    });
    if (!next) return { subscription: before, changed: [] };
    const result = await this.changes.apply(
      manager,
      before,
      { organizationId, stripeSubscriptionId: remote.id, productKey: this.catalog.productKey },
      next,
      source,
      context,
    );
    await this.flagSecondLive(manager, result.subscription, context);
    return result;
  }

  /**
   * Our own API changed the subscription at Stripe: the fresh read is applied as the member's
   * change, in a transaction of its own.
   */
  async refresh(
    organizationId: string,
    stripeSubscriptionId: string,
    context: ChangeContext,
  ): Promise<Subscription> {
    const read = await this.read(stripeSubscriptionId);
    if (!read) throw new DomainError('NOT_FOUND', 'No such subscription at the payment provider');
    return this.transactions.run(async (manager) => {
      const { subscription } = await this.apply(
        manager,
        organizationId,
        read.remote,
        { syncedAt: read.readAt },
        context,
      );
      if (!subscription) throw new DomainError('NOT_FOUND', 'No such subscription');
      return subscription;
    });
  }

  /**
   * The grace-period job: past-due subscriptions whose grace period ran out without a payment
   * expire through the one write path (audited as SYSTEM, announced, mailed). Returns how many.
   */
  async expireGracePeriods(
    manager: EntityManager,
    recipientOf: (organizationId: string) => Promise<ChangeContext['recipient']>,
  ): Promise<number> {
    const due = await this.subscriptions.lockPastGracePeriod(manager);
    for (const subscription of due) {
      await this.changes.apply(
        manager,
        subscription,
        subscription,
        { ...stateOf(subscription), status: 'expired' },
        {},
        {
          actor: { type: 'SYSTEM', id: 'grace-period-end' },
          cause: 'job:grace-period-end',
          recipient: await recipientOf(subscription.organizationId),
        },
      );
    }
    return due.length;
  }

  /**
   * An operator grants a grace period by hand, or ends one (`null`): a past-due subscription
   * whose grace period ends expires now.
   */
  async setGracePeriod(
    id: string,
    gracePeriodEnd: Date | null,
    context: ChangeContext,
  ): Promise<Subscription> {
    const organizationId = await this.subscriptions.organizationOf(id);
    return this.transactions.run(async (manager) => {
      const before =
        organizationId && (await this.subscriptions.lockById(manager, organizationId, id));
      if (!before) throw new DomainError('NOT_FOUND', 'No such subscription');
      // Only a past-due episode has a grace period: on a paid one it would cut the period short.
      if (before.status !== 'past_due' && before.status !== 'expired')
        throw new DomainError('CONFLICT', `A ${before.status} subscription has no grace period`);
      const ends = gracePeriodEnd === null && before.status === 'past_due';
      const next: SubscriptionState = {
        ...stateOf(before),
        gracePeriodEnd: ends ? new Date() : gracePeriodEnd,
        ...(ends ? { status: 'expired' as const } : {}),
        ...(gracePeriodEnd && before.status === 'expired' ? { status: 'past_due' as const } : {}),
      };
      const result = await this.changes.apply(
        manager,
        before,
        before,
        next,
        {},
        {
          ...context,
          auditUnchanged: true,
        },
      );
      return result.subscription;
    });
  }

  /** The plan of the catalog a Stripe price (or the metadata we set beside it) names. */
  private recognise(billed: BilledPlan): RecognisedPlan | null {
    const plan = billed.price ? this.catalog.planOf(billed.price) : undefined;
    if (plan) return plan;
    // Our metadata (checkout, schedule phases) names the plan where Stripe gives only a price id.
    const { tier, billingCycle, region } = billed.metadata;
    const unpriced = !billed.price || billed.price.unitAmount === null;
    const cycle = billingCycle === 'monthly' || billingCycle === 'yearly' ? billingCycle : null;
    if (!unpriced || !tier || !cycle || !this.catalog.isTier(tier)) return null;
    return { tier, billingCycle: cycle, region: this.catalog.isRegion(region) ? region : 'US' };
  }

  /**
   * An organization pays for one live subscription at a time. When Stripe reports another, both
   * are flagged for operators and the owners are told, so nobody is billed twice unnoticed.
   */
  private async flagSecondLive(
    manager: EntityManager,
    subscription: Subscription | null,
    context: ChangeContext,
  ): Promise<void> {
    if (!subscription || !LIVE_SUBSCRIPTION_STATUSES.includes(subscription.status)) return;
    const others = (await this.subscriptions.findLive(subscription.organizationId, manager)).filter(
      (other) => other.id !== subscription.id && !other.stripeSubscriptionId.startsWith('manual_'),
    );
    if (others.length === 0 || subscription.flaggedReason?.startsWith('second live')) return;
    const reason = duplicateFlag(others.map((other) => other.stripeSubscriptionId).join(', '));
    await this.changes.apply(
      manager,
      subscription,
      subscription,
      { ...stateOf(subscription), flaggedReason: reason },
      {},
      { ...context, recipient: null },
    );
    for (const email of await this.tenants.ownerEmails(subscription.organizationId, manager)) {
      await this.mail.enqueue(manager, email, 'subscription-duplicate', {
        name: email,
        plans: [subscription, ...others].map((s) => `${s.tier} (${s.billingCycle})`).join(', '),
      });
    }
  }
}

/** A change older than what the row already holds: an earlier event, or a read started earlier. */
function isOlder(before: Subscription, source: ChangeSource): boolean {
  if (source.syncedAt) return before.syncedAt !== null && before.syncedAt > source.syncedAt;
  return (
    source.eventCreated !== undefined &&
    before.lastEventCreated !== null &&
    source.eventCreated < Number(before.lastEventCreated)
  );
}

export function stateOf(row: Subscription): SubscriptionState {
  return {
    tier: row.tier,
    billingCycle: row.billingCycle,
    region: row.region,
    currency: row.currency,
    status: row.status,
    currentPeriodEnd: row.currentPeriodEnd,
    trialEnd: row.trialEnd,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    gracePeriodEnd: row.gracePeriodEnd,
    pendingChange: row.pendingChange,
    flaggedReason: row.flaggedReason,
  };
}
