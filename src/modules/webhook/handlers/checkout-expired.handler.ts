import { Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { PurchaseService } from '../../billing/purchase.service.js';
import { IntentService } from '../../intent/intent.service.js';
import type { StripeEventHandler } from './stripe-event-handler.js';

/** `checkout.session.expired`: the intent and its purchase expire. */
@Injectable()
export class CheckoutExpiredHandler implements StripeEventHandler {
  readonly types = ['checkout.session.expired'] as const;

  constructor(
    private readonly intents: IntentService,
    private readonly purchases: PurchaseService,
  ) {}

  async handle(manager: EntityManager, event: Stripe.Event): Promise<void> {
    const session = event.data.object as Stripe.Checkout.Session;
    const intent = await this.intents.lockBySessionId(manager, session.id);
    if (!intent || intent.status !== 'pending') return;
    await this.intents.updateWithin(manager, intent.id, { type: 'WEBHOOK', id: event.id }, () => ({
      status: 'expired',
    }));
    if (intent.kind === 'credits') await this.purchases.markStatus(manager, intent.id, 'expired');
  }
}
