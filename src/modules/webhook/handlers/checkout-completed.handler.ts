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
 * operators are told. A session Stripe reports paid is granted whatever became of our intent
 * (DESIGN principle 2): one that had expired is granted and audited as late.
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
    const intent = await this.intents.lockBySessionId(manager, session.id);
    if (!intent || intent.status === 'completed') return;
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
      if (intent.status !== 'pending') return;
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
    if (session.payment_status !== 'paid') {
      if (intent.status === 'pending')
        await this.purchases.markStatus(manager, intent.id, 'processing');
      return;
    }
    await this.grantCredits(manager, event, intent, session);
  }

  /** The pack's credits, once per session; the purchase is paid only by the grant that booked. */
  private async grantCredits(
    manager: EntityManager,
    event: Stripe.Event,
    intent: SubscriptionIntent,
    session: Stripe.Checkout.Session,
  ): Promise<void> {
    const actor = { type: 'WEBHOOK' as const, id: event.id };
    const pack = await this.purchases.ofIntent(manager, intent.id);
    if (!pack) throw new Error(`Intent ${intent.id} has no purchase`);
    const credits = pack.credits + pack.bonusCredits;
    const granted = await this.wallets.creditOnce(manager, {
      organizationId: intent.organizationId,
      amount: credits,
      type: 'purchase',
      reference: session.id,
      description: `Credit pack ${pack.packKey}`,
    });
    if (granted === null) return;
    const paymentIntent =
      typeof session.payment_intent === 'string'
        ? session.payment_intent
        : (session.payment_intent?.id ?? null);
    const purchase = (await this.purchases.markPaid(manager, intent.id, paymentIntent))!;
    await this.intents.updateWithin(manager, intent.id, actor, () => ({ status: 'completed' }));
    if (intent.status !== 'pending') await this.auditLateGrant(manager, event, intent, credits);
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

  /** A grant to an intent we had given up on: money Stripe took after our bookkeeping expired. */
  private auditLateGrant(
    manager: EntityManager,
    event: Stripe.Event,
    intent: SubscriptionIntent,
    credits: number,
  ): Promise<void> {
    return this.audit.record(manager, {
      entityType: 'INTENT',
      entityId: intent.id,
      action: 'LATE_GRANT',
      actor: { type: 'WEBHOOK', id: event.id },
      changes: { status: { from: intent.status, to: 'completed' } },
      metadata: { organizationId: intent.organizationId, credits, type: event.type },
    });
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
