import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { StripeService } from '../stripe/stripe.service.js';
import { ChargeRefundedHandler } from './handlers/charge-refunded.handler.js';
import { CheckoutCompletedHandler } from './handlers/checkout-completed.handler.js';
import { CheckoutExpiredHandler } from './handlers/checkout-expired.handler.js';
import { DisputeHandler } from './handlers/dispute.handler.js';
import { InvoiceHandler } from './handlers/invoice.handler.js';
import type { StripeEventHandler } from './handlers/stripe-event-handler.js';
import { SubscriptionChangedHandler } from './handlers/subscription-changed.handler.js';
import { TrialWillEndHandler } from './handlers/trial-will-end.handler.js';
import { StripeEventRepository } from './stripe-event.repository.js';

export type WebhookOutcome = 'processed' | 'ignored' | 'duplicate';

/**
 * Stripe's deliveries: verified, stored in the inbox by event id, and applied once. An event's
 * effects commit together with its inbox row or not at all; a failure is recorded and rethrown
 * (500) so that Stripe delivers again.
 */
@Injectable()
export class StripeWebhookService {
  private readonly logger = new Logger(StripeWebhookService.name);
  private readonly handlers = new Map<string, StripeEventHandler>();

  constructor(
    private readonly stripe: StripeService,
    private readonly inbox: StripeEventRepository,
    private readonly transactions: TransactionRunner,
    private readonly metrics: MetricsService,
    chargeRefunded: ChargeRefundedHandler,
    checkoutCompleted: CheckoutCompletedHandler,
    checkoutExpired: CheckoutExpiredHandler,
    disputes: DisputeHandler,
    invoices: InvoiceHandler,
    subscriptionChanged: SubscriptionChangedHandler,
    trialWillEnd: TrialWillEndHandler,
  ) {
    const all = [
      chargeRefunded,
      checkoutCompleted,
      checkoutExpired,
      disputes,
      invoices,
      subscriptionChanged,
      trialWillEnd,
    ];
    for (const handler of all) {
      for (const type of handler.types) this.handlers.set(type, handler);
    }
  }

  async receive(
    rawBody: Buffer | undefined,
    signature: string | undefined,
  ): Promise<WebhookOutcome> {
    const event = this.stripe.verifyWebhook(rawBody, signature);
    try {
      const outcome = await this.apply(event);
      this.metrics.webhookEvents.inc({ type: event.type, outcome });
      return outcome;
    } catch (error) {
      this.metrics.webhookEvents.inc({ type: event.type, outcome: 'failed' });
      this.logger.error(
        { err: error, eventId: event.id, type: event.type },
        'Stripe event failed; Stripe will retry',
      );
      await this.inbox.recordFailure(event, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  private apply(event: Stripe.Event): Promise<WebhookOutcome> {
    return this.transactions.run(async (manager) => {
      const status = await this.inbox.claim(manager, event);
      if (status === 'processed' || status === 'ignored') return 'duplicate';
      const handler = this.handlers.get(event.type);
      if (handler) await handler.handle(manager, event);
      const outcome = handler ? 'processed' : 'ignored';
      await this.inbox.finish(manager, event.id, outcome);
      return outcome;
    });
  }
}
