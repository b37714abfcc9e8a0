import type { SubscriptionResponseDto } from './dto/subscription-response.dto.js';
import type { Subscription } from './entities/subscription.entity.js';
import { isSubscriptionActive } from './subscription-activity.js';

export function toSubscriptionResponse(subscription: Subscription): SubscriptionResponseDto {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    id: subscription.id,
    productKey: subscription.productKey,
    tier: subscription.tier,
    billingCycle: subscription.billingCycle,
    status: subscription.status,
    region: subscription.region,
    currency: subscription.currency,
    currentPeriodEnd: iso(subscription.currentPeriodEnd),
    trialEnd: iso(subscription.trialEnd),
    cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
    gracePeriodEnd: iso(subscription.gracePeriodEnd),
    pendingChange: subscription.pendingChange,
    isActive: isSubscriptionActive(subscription),
  };
}
