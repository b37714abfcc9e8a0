import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { BillingCustomerService } from '../../billing/billing-customer.service.js';
import { PurchaseService } from '../../billing/purchase.service.js';
import { formatMoney } from '../../billing/receipt.renderer.js';
import type { SubscriptionIntent } from '../../intent/entities/subscription-intent.entity.js';
import { IntentService } from '../../intent/intent.service.js';
import { MailService } from '../../mail/mail.service.js';
import { UserService, displayNameOf } from '../../user/user.service.js';
import { WalletService } from '../../wallet/wallet.service.js';
import type { StripeEventHandler } from './stripe-event-handler.js';

/**
 * `checkout.session.completed` and its asynchronous-payment follow-ups. Credits are granted only
 * here, once per session (the ledger's unique reference), and only what our own intent says was
 * bought, after checking the session as Stripe reports it: the organization (by our record of
 * the customer) and the amount and currency must match the intent, or nothing is granted and
 * operators are told.
 */
@Injectable()
export class CheckoutCompletedHandler implements StripeEventHandler {
  readonly types = [
    'checkout.session.completed',
    'checkout.session.async_payment_succeeded',
    'checkout.session.async_payment_failed',
  ] as const;
  private readonly logger = new Logger(CheckoutCompletedHandler.name);

  constructor(
    private readonly intents: IntentService,
    private readonly purchases: PurchaseService,
    private readonly wallets: WalletService,
    private readonly customers: BillingCustomerService,
    private readonly users: UserService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
  ) {}

  async handle(manager: EntityManager, event: Stripe.Event): Promise<void> {
    const session = event.data.object as Stripe.Checkout.Session;
    const intent = await this.intents.findBySessionIdWithin(manager, session.id);
    if (!intent || intent.status !== 'pending') return;
    const mismatch = await this.mismatch(manager, intent, session);
    if (mismatch) return this.flag(manager, event, session, mismatch);
    const actor = { type: 'WEBHOOK' as const, id: event.id };

    if (event.type === 'checkout.session.async_payment_failed') {
      await this.intents.updateWithin(manager, intent.id, actor, () => ({
        status: 'failed',
        failureReason: 'payment failed',
      }));
      if (intent.kind === 'credits') await this.purchases.markStatus(manager, intent.id, 'failed');
      return;
    }
    if (intent.kind === 'subscription') {
      const subscription =
        typeof session.subscription === 'string'
          ? session.subscription
          : (session.subscription?.id ?? null);
      await this.intents.updateWithin(manager, intent.id, actor, () => ({
        status: 'completed',
        stripeSubscriptionId: subscription,
      }));
      return;
    }
    // Card payments are paid now; bank debits complete later with async_payment_succeeded.
    if (session.payment_status !== 'paid') return;
    await this.grantCredits(manager, intent, session, actor);
  }

  private async grantCredits(
    manager: EntityManager,
    intent: SubscriptionIntent,
    session: Stripe.Checkout.Session,
    actor: { type: 'WEBHOOK'; id: string },
  ): Promise<void> {
    const paymentIntent =
      typeof session.payment_intent === 'string'
        ? session.payment_intent
        : (session.payment_intent?.id ?? null);
    const purchase = await this.purchases.markPaid(manager, intent.id, paymentIntent);
    if (!purchase) throw new Error(`Intent ${intent.id} has no purchase`);
    const credits = purchase.credits + purchase.bonusCredits;
    await this.wallets.creditOnce(manager, {
      organizationId: intent.organizationId,
      amount: credits,
      type: 'purchase',
      reference: session.id,
      description: `Credit pack ${purchase.packKey}`,
    });
    await this.intents.updateWithin(manager, intent.id, actor, () => ({ status: 'completed' }));
    const buyer = intent.createdBy
      ? await this.users.findAccountById(intent.createdBy, manager)
      : null;
    if (buyer) {
      await this.mail.enqueue(manager, buyer.profile.email, 'credits-purchased', {
        name: displayNameOf(buyer.profile),
        credits: credits.toLocaleString('en-US'),
        amount: formatMoney(purchase.unitAmount, purchase.currency),
      });
    }
  }

  /** Why this session must not grant what the intent says, or null when it matches. */
  private async mismatch(
    manager: EntityManager,
    intent: SubscriptionIntent,
    session: Stripe.Checkout.Session,
  ): Promise<string | null> {
    const customer = typeof session.customer === 'string' ? session.customer : session.customer?.id;
    const owner = customer ? await this.customers.organizationOf(customer, manager) : null;
    if (
      owner !== intent.organizationId ||
      (session.metadata?.organizationId ?? intent.organizationId) !== intent.organizationId
    ) {
      return 'the session belongs to another organization than its intent';
    }
    if (
      session.amount_total !== intent.unitAmount ||
      session.currency?.toUpperCase() !== intent.currency
    ) {
      return `the session charged ${session.amount_total} ${session.currency}, the intent priced ${intent.unitAmount} ${intent.currency}`;
    }
    return null;
  }

  private async flag(
    manager: EntityManager,
    event: Stripe.Event,
    session: Stripe.Checkout.Session,
    reason: string,
  ): Promise<void> {
    this.logger.warn(
      { eventId: event.id, sessionId: session.id, reason },
      'Checkout session flagged; nothing granted',
    );
    await this.audit.record(manager, {
      entityType: 'WEBHOOK',
      entityId: event.id,
      action: 'FLAGGED',
      actor: { type: 'WEBHOOK', id: event.id },
      metadata: { reason, sessionId: session.id, type: event.type },
    });
  }
}
