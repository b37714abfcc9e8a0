import { Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { DomainError } from '../../common/errors/index.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { EventBus } from '../../events/event-bus.js';
import { AuditService } from '../audit/audit.service.js';
import { CatalogService, type PlanPrice } from '../catalog/catalog.service.js';
import type { BillingCycle, Region } from '../catalog/catalog.schema.js';
import { MailService } from '../mail/mail.service.js';
import { StripeService } from '../stripe/stripe.service.js';
import { UserService, displayNameOf } from '../user/user.service.js';
import type { SubscriptionResponseDto } from './dto/subscription-response.dto.js';
import { LIVE_SUBSCRIPTION_STATUSES, type Subscription } from './entities/subscription.entity.js';
import { toSubscriptionResponse } from './subscription.mapper.js';
import { SubscriptionRepository } from './subscription.repository.js';

/** A yearly price compared as twelve months, so tiers and cycles compare on one scale. */
const monthlyEquivalent = (price: PlanPrice) =>
  price.billingCycle === 'yearly' ? price.unitAmount / 12 : price.unitAmount;

/**
 * Plan changes: an upgrade (a dearer monthly equivalent) applies at once with proration; a
 * downgrade waits for the period end through a Stripe subscription schedule and shows as
 * `pendingChange` until then. The catalog's `changeRules` can swap either rule.
 */
@Injectable()
export class SubscriptionChangeService {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly catalog: CatalogService,
    private readonly stripe: StripeService,
    private readonly users: UserService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly events: EventBus,
  ) {}

  async change(
    userId: string,
    organizationId: string,
    id: string,
    tier: string,
    billingCycle: BillingCycle,
  ): Promise<SubscriptionResponseDto> {
    this.stripe.assertConfigured();
    const subscription = await this.subscriptions.findOne(organizationId, id);
    if (!subscription) throw new DomainError('NOT_FOUND', 'No such subscription');
    if (!LIVE_SUBSCRIPTION_STATUSES.includes(subscription.status))
      throw new DomainError('CONFLICT', `This subscription is ${subscription.status}`);
    const region = subscription.region as Region;
    const target = this.catalog.price(tier, billingCycle, region);
    if (!target)
      throw new DomainError('VALIDATION_FAILED', 'Invalid fields: tier', {
        errors: [{ field: 'tier', message: 'tier must be one of the tiers for sale' }],
      });
    if (tier === subscription.tier && billingCycle === subscription.billingCycle)
      throw new DomainError('CONFLICT', 'The subscription is already on this plan');
    const current = this.catalog.price(
      subscription.tier,
      subscription.billingCycle as BillingCycle,
      region,
    );
    const upgrade = !current || monthlyEquivalent(target) > monthlyEquivalent(current);
    const rule = upgrade ? this.catalog.changeRules.upgrade : this.catalog.changeRules.downgrade;

    const remote = await this.stripe.retrieveSubscription(subscription.stripeSubscriptionId);
    const item = remote.items.data[0];
    const price = this.stripePrice(target, item);
    const key = `subscription:${subscription.id}:${subscription.updatedAt.getTime()}:change:${tier}:${billingCycle}`;
    if (rule === 'immediate') {
      const answer = await this.stripe.changeSubscriptionPrice(
        remote.id,
        item.id,
        price,
        { tier, billingCycle },
        key,
      );
      const periodEnd = answer.items.data[0]?.current_period_end;
      return this.record(
        userId,
        subscription,
        {
          tier,
          billingCycle,
          pendingChange: null,
          ...(periodEnd ? { currentPeriodEnd: new Date(periodEnd * 1000) } : {}),
        },
        new Date(),
      );
    }
    await this.stripe.scheduleSubscriptionPrice(remote, price, key);
    const effectiveAt = new Date(item.current_period_end * 1000);
    return this.record(
      userId,
      subscription,
      { pendingChange: { tier, billingCycle, effectiveAt: effectiveAt.toISOString() } },
      effectiveAt,
    );
  }

  /** The catalog's Stripe price id, or the same product with the catalog amount. */
  private stripePrice(target: PlanPrice, item: Stripe.SubscriptionItem) {
    if (target.stripePriceId) return target.stripePriceId;
    const product =
      typeof item.price.product === 'string' ? item.price.product : item.price.product.id;
    return {
      currency: target.currency.toLowerCase(),
      unit_amount: target.unitAmount,
      recurring: {
        interval: target.billingCycle === 'monthly' ? ('month' as const) : ('year' as const),
      },
      product,
    };
  }

  private record(
    userId: string,
    before: Subscription,
    patch: Parameters<SubscriptionRepository['update']>[2],
    effectiveAt: Date,
  ): Promise<SubscriptionResponseDto> {
    return this.transactions.run(async (manager) => {
      await this.subscriptions.update(manager, before.id, patch);
      const updated = { ...before, ...patch };
      const to = patch.pendingChange ?? { tier: updated.tier, billingCycle: updated.billingCycle };
      await this.audit.record(manager, {
        entityType: 'SUBSCRIPTION',
        entityId: before.id,
        action: 'UPDATE',
        actor: { type: 'USER', id: userId },
        changes: {
          plan: {
            from: { tier: before.tier, billingCycle: before.billingCycle },
            to: { tier: to.tier, billingCycle: to.billingCycle },
          },
          ...(patch.pendingChange
            ? { pendingChange: { from: before.pendingChange, to: patch.pendingChange } }
            : {}),
        },
        metadata: {
          organizationId: before.organizationId,
          stripeSubscriptionId: before.stripeSubscriptionId,
        },
      });
      this.events.publishAfterCommit(manager, 'subscription.updated', {
        organizationId: updated.organizationId,
        stripeSubscriptionId: updated.stripeSubscriptionId,
        status: updated.status,
        tier: updated.tier,
      });
      const member = await this.users.findAccountById(userId, manager);
      if (member) {
        await this.mail.enqueue(manager, member.profile.email, 'subscription-changed', {
          name: displayNameOf(member.profile),
          from: `${before.tier} (${before.billingCycle})`,
          to: `${to.tier} (${to.billingCycle})`,
          effectiveAt: effectiveAt.toISOString().slice(0, 10),
        });
      }
      return toSubscriptionResponse(updated);
    });
  }
}
