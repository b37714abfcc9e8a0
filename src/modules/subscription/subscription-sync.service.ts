import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { billingConfig } from '../../config/billing.config.js';
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { EventBus } from '../../events/event-bus.js';
import { AuditService } from '../audit/audit.service.js';
import type { AuditEntry } from '../audit/audit.types.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { fromStripeStatus } from './stripe-status.js';
import { SubscriptionRepository } from './subscription.repository.js';

/** Applies Stripe's word on a subscription (DESIGN principle 1: Stripe is the source of truth). */
@Injectable()
export class SubscriptionSyncService {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly catalog: CatalogService,
    private readonly audit: AuditService,
    private readonly events: EventBus,
    @Inject(billingConfig.KEY) private readonly config: ConfigType<typeof billingConfig>,
  ) {}

  /** A paid invoice: the subscription is active again and any grace period is over. */
  async applyInvoicePaid(
    manager: EntityManager,
    organizationId: string,
    stripeSubscriptionId: string,
  ): Promise<boolean> {
    return this.applyPayment(manager, organizationId, stripeSubscriptionId, {
      status: 'active',
      gracePeriodEnd: null,
    });
  }

  /**
   * A failed payment: the subscription is past due and stays active until `gracePeriodEnd`
   * (GRACE_PERIOD_DAYS from now). Returns that end, or null when we know no such subscription.
   */
  async applyPaymentFailed(
    manager: EntityManager,
    organizationId: string,
    stripeSubscriptionId: string,
  ): Promise<Date | null> {
    const gracePeriodEnd = new Date(Date.now() + this.config.gracePeriodDays * 86_400_000);
    const applied = await this.applyPayment(manager, organizationId, stripeSubscriptionId, {
      status: 'past_due',
      gracePeriodEnd,
    });
    return applied ? gracePeriodEnd : null;
  }

  private async applyPayment(
    manager: EntityManager,
    organizationId: string,
    stripeSubscriptionId: string,
    patch: { status: 'active' | 'past_due'; gracePeriodEnd: Date | null },
  ): Promise<boolean> {
    const before = await this.subscriptions.findByStripeId(
      organizationId,
      stripeSubscriptionId,
      manager,
    );
    if (!before) return false;
    await this.subscriptions.updateByStripeId(manager, organizationId, stripeSubscriptionId, patch);
    await this.audit.record(manager, {
      entityType: 'SUBSCRIPTION',
      entityId: stripeSubscriptionId,
      action: 'UPDATE',
      actor: { type: 'WEBHOOK', id: null },
      changes: {
        status: { from: before.status, to: patch.status },
        gracePeriodEnd: {
          from: before.gracePeriodEnd?.toISOString() ?? null,
          to: patch.gracePeriodEnd?.toISOString() ?? null,
        },
      },
      metadata: { organizationId },
    });
    this.events.publishAfterCommit(manager, 'subscription.updated', {
      organizationId,
      stripeSubscriptionId,
      status: patch.status,
      tier: before.tier,
    });
    return true;
  }

  /**
   * Upserts the organization's subscription from a Stripe subscription object carried by an event
   * created at `eventCreated`, inside the webhook's transaction. Tier and cycle come from the
   * metadata our checkout set, else from the row we already have. An event older than the last
   * one applied changes nothing. Returns whether it applied.
   */
  async applyFromEvent(
    manager: EntityManager,
    organizationId: string,
    remote: Stripe.Subscription,
    eventCreated: number,
    deleted: boolean,
    actor: AuditEntry['actor'] = { type: 'WEBHOOK', id: null },
  ): Promise<boolean> {
    const existing = await this.subscriptions.findByStripeId(organizationId, remote.id, manager);
    const tier = remote.metadata.tier ?? existing?.tier;
    const billingCycle = remote.metadata.billingCycle ?? existing?.billingCycle;
    if (!tier || !billingCycle) throw new Error(`Subscription ${remote.id} names no tier or cycle`);
    const item = remote.items.data[0];
    const status = deleted
      ? 'canceled'
      : fromStripeStatus(remote.status, existing?.status ?? 'active');
    const applied = await this.subscriptions.upsertFromEvent(manager, {
      organizationId,
      stripeSubscriptionId: remote.id,
      productKey: this.catalog.productKey,
      tier,
      billingCycle,
      status,
      region: remote.metadata.region ?? existing?.region ?? 'US',
      currency: remote.currency.toUpperCase(),
      currentPeriodEnd: item ? new Date(item.current_period_end * 1000) : null,
      trialEnd: remote.trial_end ? new Date(remote.trial_end * 1000) : null,
      cancelAtPeriodEnd: remote.cancel_at_period_end,
      eventCreated,
    });
    if (applied) {
      await this.audit.record(manager, {
        entityType: 'SUBSCRIPTION',
        entityId: remote.id,
        action: existing ? (deleted ? 'CANCEL' : 'UPDATE') : 'CREATE',
        actor,
        changes: {
          status: { from: existing?.status ?? null, to: status },
          tier: { from: existing?.tier ?? null, to: tier },
        },
        metadata: { organizationId, eventCreated },
      });
      this.events.publishAfterCommit(manager, 'subscription.updated', {
        organizationId,
        stripeSubscriptionId: remote.id,
        status,
        tier,
      });
    }
    return applied;
  }

  /**
   * Reconciliation: compares our row with the subscription as Stripe reports it now and, where
   * they differ, applies Stripe's (audited with `actor`). A fresh read is newer than any event
   * still on its way, so it is applied as of now. Returns the fields that had drifted.
   */
  async reconcile(
    manager: EntityManager,
    organizationId: string,
    remote: Stripe.Subscription,
    actor: AuditEntry['actor'],
  ): Promise<string[]> {
    const local = await this.subscriptions.findByStripeId(organizationId, remote.id, manager);
    const deleted = remote.status === 'canceled';
    const status = deleted
      ? 'canceled'
      : fromStripeStatus(remote.status, local?.status ?? 'active');
    const periodEnd = remote.items.data[0]?.current_period_end ?? null;
    const drifted = local
      ? [
          local.status !== status && 'status',
          local.cancelAtPeriodEnd !== remote.cancel_at_period_end && 'cancelAtPeriodEnd',
          periodEnd !== null &&
            local.currentPeriodEnd?.getTime() !== periodEnd * 1000 &&
            'currentPeriodEnd',
          remote.metadata.tier !== undefined && local.tier !== remote.metadata.tier && 'tier',
        ].filter((field): field is string => typeof field === 'string')
      : ['missing'];
    if (drifted.length === 0) return [];
    await this.applyFromEvent(
      manager,
      organizationId,
      remote,
      Math.floor(Date.now() / 1000),
      deleted,
      actor,
    );
    return drifted;
  }

  /**
   * The grace-period job: subscriptions whose grace period ran out without a payment expire;
   * each is audited (actor SYSTEM) and announced, which drops the organization's entitlements.
   */
  async expireGracePeriods(manager: EntityManager): Promise<number> {
    const expired = await this.subscriptions.expireGracePeriods(manager);
    for (const subscription of expired) {
      await this.audit.record(manager, {
        entityType: 'SUBSCRIPTION',
        entityId: subscription.stripeSubscriptionId,
        action: 'EXPIRE',
        actor: { type: 'SYSTEM', id: 'grace-period-end' },
        changes: { status: { from: 'past_due', to: 'expired' } },
        metadata: {
          organizationId: subscription.organizationId,
          gracePeriodEnd: subscription.gracePeriodEnd?.toISOString() ?? null,
        },
      });
      this.events.publishAfterCommit(manager, 'subscription.updated', {
        organizationId: subscription.organizationId,
        stripeSubscriptionId: subscription.stripeSubscriptionId,
        status: 'expired',
        tier: subscription.tier,
      });
    }
    return expired.length;
  }
}
