import { Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { DomainError } from '../../common/errors/index.js';
import { CatalogService, type PlanPrice } from '../catalog/catalog.service.js';
import type { BillingCycle, Region } from '../catalog/catalog.schema.js';
import { StripeService } from '../stripe/stripe.service.js';
import type { SubscriptionResponseDto } from './dto/subscription-response.dto.js';
import { SubscriptionManagementService } from './subscription-management.service.js';

/** A yearly price compared as twelve months, so tiers and cycles compare on one scale. */
const monthlyEquivalent = (price: PlanPrice) =>
  price.billingCycle === 'yearly' ? price.unitAmount / 12 : price.unitAmount;

/**
 * Plan changes. An upgrade (a dearer monthly equivalent) is invoiced at once and applies only
 * when that invoice is paid (`always_invoice` + `pending_if_incomplete`): a failed payment leaves
 * the old plan and answers 402. A downgrade waits for the period end through a Stripe
 * subscription schedule, whose next phase shows as `pendingChange` until Stripe moves to it. The
 * catalog's `changeRules` can swap either rule.
 */
@Injectable()
export class SubscriptionChangeService {
  constructor(
    private readonly management: SubscriptionManagementService,
    private readonly catalog: CatalogService,
    private readonly stripe: StripeService,
  ) {}

  async change(
    userId: string,
    organizationId: string,
    id: string,
    tier: string,
    billingCycle: BillingCycle,
  ): Promise<SubscriptionResponseDto> {
    const subscription = await this.management.live(organizationId, id);
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
    const price = stripePrice(target, item);
    const metadata = { tier, billingCycle, region };
    const key = `subscription:${subscription.id}:${subscription.updatedAt.getTime()}:change:${tier}:${billingCycle}`;
    if (rule === 'period_end') {
      await this.stripe.scheduleSubscriptionPrice(remote, price, metadata, key);
      return this.management.recordStripe(userId, subscription, 'api:change');
    }
    const answer = await this.stripe.changeSubscriptionPrice(
      remote.id,
      item.id,
      price,
      metadata,
      key,
    );
    const recorded = await this.management.recordStripe(userId, subscription, 'api:change');
    if (answer.pending_update)
      throw new DomainError(
        'PAYMENT_FAILED',
        'The payment for the upgrade failed; the subscription stays on its current plan',
      );
    return recorded;
  }
}

/** The catalog's Stripe price id, or the same product with the catalog amount. */
function stripePrice(target: PlanPrice, item: Stripe.SubscriptionItem) {
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
