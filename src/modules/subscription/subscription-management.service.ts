import { Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { DomainError } from '../../common/errors/index.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { EventBus } from '../../events/event-bus.js';
import { AuditService } from '../audit/audit.service.js';
import type { MailTemplateData } from '../mail/mail-templates.js';
import { MailService } from '../mail/mail.service.js';
import { StripeService } from '../stripe/stripe.service.js';
import { UserService, displayNameOf } from '../user/user.service.js';
import type { SubscriptionResponseDto } from './dto/subscription-response.dto.js';
import { LIVE_SUBSCRIPTION_STATUSES, type Subscription } from './entities/subscription.entity.js';
import { fromStripeStatus } from './stripe-status.js';
import { SubscriptionRepository } from './subscription.repository.js';
import { toSubscriptionResponse } from './subscription.mapper.js';

type Notice =
  | { template: 'subscription-canceled'; data: MailTemplateData['subscription-canceled'] }
  | { template: 'subscription-changed'; data: MailTemplateData['subscription-changed'] };

const notFound = () => new DomainError('NOT_FOUND', 'No such subscription');

/**
 * What a billing member does to a subscription: ask Stripe, then record Stripe's answer (the
 * webhook confirms it later). Each change is audited and mailed to the member who made it.
 */
@Injectable()
export class SubscriptionManagementService {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly stripe: StripeService,
    private readonly users: UserService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly events: EventBus,
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
    const answer = atPeriodEnd
      ? await this.stripe.setCancelAtPeriodEnd(subscription.stripeSubscriptionId, true, key)
      : await this.stripe.cancelSubscriptionNow(subscription.stripeSubscriptionId, key);
    return this.record(userId, subscription, answer, 'CANCEL', (name, updated) => ({
      template: 'subscription-canceled' as const,
      data: {
        name,
        plan: planName(updated),
        endsAt: atPeriodEnd ? dateOf(updated.currentPeriodEnd) : dateOf(new Date()),
      },
    }));
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
    const answer = await this.stripe.setCancelAtPeriodEnd(
      subscription.stripeSubscriptionId,
      false,
      key,
    );
    return this.record(userId, subscription, answer, 'REACTIVATE', (name, updated) => ({
      template: 'subscription-changed' as const,
      data: {
        name,
        from: `${planName(updated)} (canceling)`,
        to: planName(updated),
        effectiveAt: dateOf(new Date()),
      },
    }));
  }

  private async live(organizationId: string, id: string): Promise<Subscription> {
    this.stripe.assertConfigured();
    const subscription = await this.subscriptions.findOne(organizationId, id);
    if (!subscription) throw notFound();
    if (!LIVE_SUBSCRIPTION_STATUSES.includes(subscription.status)) {
      throw new DomainError('CONFLICT', `This subscription is ${subscription.status}`);
    }
    return subscription;
  }

  private record(
    userId: string,
    before: Subscription,
    answer: Stripe.Subscription,
    action: string,
    notice: (name: string, updated: Subscription) => Notice,
  ): Promise<SubscriptionResponseDto> {
    return this.transactions.run(async (manager) => {
      const periodEnd = answer.items.data[0]?.current_period_end;
      const patch = {
        status: fromStripeStatus(answer.status, before.status),
        cancelAtPeriodEnd: answer.cancel_at_period_end,
        currentPeriodEnd: periodEnd ? new Date(periodEnd * 1000) : before.currentPeriodEnd,
      };
      await this.subscriptions.update(manager, before.id, patch);
      const updated = { ...before, ...patch };
      await this.audit.record(manager, {
        entityType: 'SUBSCRIPTION',
        entityId: before.id,
        action,
        actor: { type: 'USER', id: userId },
        changes: {
          status: { from: before.status, to: patch.status },
          cancelAtPeriodEnd: { from: before.cancelAtPeriodEnd, to: patch.cancelAtPeriodEnd },
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
        const message = notice(displayNameOf(member.profile), updated);
        if (message.template === 'subscription-canceled') {
          await this.mail.enqueue(manager, member.profile.email, message.template, message.data);
        } else {
          await this.mail.enqueue(manager, member.profile.email, message.template, message.data);
        }
      }
      return toSubscriptionResponse(updated);
    });
  }
}

const planName = (subscription: Subscription) =>
  `${subscription.tier} (${subscription.billingCycle})`;
const dateOf = (date: Date | null) => (date ?? new Date()).toISOString().slice(0, 10);
