import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/index.js';
import { StripeService } from '../stripe/stripe.service.js';
import { UserService, displayNameOf } from '../user/user.service.js';
import type { SubscriptionResponseDto } from './dto/subscription-response.dto.js';
import { LIVE_SUBSCRIPTION_STATUSES, type Subscription } from './entities/subscription.entity.js';
import { SubscriptionSyncService } from './subscription-sync.service.js';
import { toSubscriptionResponse } from './subscription.mapper.js';
import { SubscriptionRepository } from './subscription.repository.js';

/**
 * What a billing member does to a subscription: ask Stripe, then apply Stripe's subscription as
 * it is afterwards through the one write path (audited as the member's, mailed to them). The
 * webhook that follows finds nothing left to change.
 */
@Injectable()
export class SubscriptionManagementService {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly sync: SubscriptionSyncService,
    private readonly stripe: StripeService,
    private readonly users: UserService,
  ) {}

  async cancel(
    userId: string,
    organizationId: string,
    id: string,
    atPeriodEnd: boolean,
  ): Promise<SubscriptionResponseDto> {
    const subscription = await this.live(organizationId, id);
    // Keyed by the row's state: a retry replays, a later change of mind is a new request.
    const key = `subscription:${subscription.id}:${subscription.updatedAt.getTime()}:cancel:${atPeriodEnd}`;
    if (atPeriodEnd)
      await this.stripe.setCancelAtPeriodEnd(subscription.stripeSubscriptionId, true, key);
    else await this.stripe.cancelSubscriptionNow(subscription.stripeSubscriptionId, key);
    return this.recordStripe(userId, subscription, 'api:cancel');
  }

  /** Undoes a cancellation at the period end. */
  async resume(
    userId: string,
    organizationId: string,
    id: string,
  ): Promise<SubscriptionResponseDto> {
    const subscription = await this.live(organizationId, id);
    if (!subscription.cancelAtPeriodEnd)
      throw new DomainError('CONFLICT', 'This subscription is not set to cancel');
    const key = `subscription:${subscription.id}:${subscription.updatedAt.getTime()}:resume`;
    await this.stripe.setCancelAtPeriodEnd(subscription.stripeSubscriptionId, false, key);
    return this.recordStripe(userId, subscription, 'api:resume');
  }

  /** A live subscription of the organization, or 404 / 409. */
  async live(organizationId: string, id: string): Promise<Subscription> {
    this.stripe.assertConfigured();
    const subscription = await this.subscriptions.findOne(organizationId, id);
    if (!subscription) throw new DomainError('NOT_FOUND', 'No such subscription');
    if (!LIVE_SUBSCRIPTION_STATUSES.includes(subscription.status))
      throw new DomainError('CONFLICT', `This subscription is ${subscription.status}`);
    return subscription;
  }

  /** Applies the subscription as Stripe has it after the member's change, as theirs. */
  async recordStripe(
    userId: string,
    subscription: Subscription,
    cause: string,
  ): Promise<SubscriptionResponseDto> {
    const member = await this.users.findAccountById(userId);
    const updated = await this.sync.refresh(
      subscription.organizationId,
      subscription.stripeSubscriptionId,
      {
        actor: { type: 'USER', id: userId },
        cause,
        recipient: member
          ? { email: member.profile.email, name: displayNameOf(member.profile) }
          : null,
      },
    );
    return toSubscriptionResponse(updated);
  }
}
