import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { BillingCustomerService } from '../../billing/billing-customer.service.js';
import { PurchaseService, type DisputablePurchase } from '../../billing/purchase.service.js';
import { formatMoney } from '../../billing/receipt.renderer.js';
import { MailService } from '../../mail/mail.service.js';
import { WalletService } from '../../wallet/wallet.service.js';
import type { StripeEventHandler } from './stripe-event-handler.js';

/**
 * `charge.refunded` on a credit purchase: the refunded share of the pack's credits leaves the
 * wallet as one `refund` entry per refund. Stripe reports `amount_refunded` cumulatively, so each
 * event takes what the new total accounts for beyond what earlier refunds took. What the wallet
 * no longer has (spent, or held by open reservations, which stay held) becomes debt, paid first
 * from the next credits: nothing is forgiven. Charges of subscription invoices are Stripe's
 * business: nothing of ours changes.
 */
@Injectable()
export class ChargeRefundedHandler implements StripeEventHandler {
  readonly types = ['charge.refunded'] as const;
  private readonly logger = new Logger(ChargeRefundedHandler.name);

  constructor(
    private readonly purchases: PurchaseService,
    private readonly wallets: WalletService,
    private readonly customers: BillingCustomerService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
  ) {}

  async handle(manager: EntityManager, event: Stripe.Event): Promise<void> {
    const charge = event.data.object as Stripe.Charge;
    const paymentIntent =
      typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
    const purchase = paymentIntent
      ? await this.purchases.lockByPaymentIntent(manager, paymentIntent)
      : null;
    if (!purchase || charge.amount_refunded <= purchase.refundedAmount) return;

    const refundedCredits = Math.round((purchase.credits * charge.amount_refunded) / charge.amount);
    const owed = Math.max(0, refundedCredits - purchase.refundedCredits);
    const debit = await this.wallets.takeBack(manager, {
      organizationId: purchase.organizationId,
      amount: owed,
      type: 'refund',
      reference: `refund:${charge.id}:${charge.amount_refunded}`,
      description: `Refund of credit purchase ${purchase.id}`,
    });
    await this.purchases.recordRefund(manager, purchase.id, {
      refundedAmount: charge.amount_refunded,
      refundedCredits,
      fullyRefunded: charge.refunded,
    });
    await this.recordInAudit(manager, event, purchase, {
      charge,
      owed,
      taken: debit?.taken ?? 0,
      debt: debit?.debt ?? 0,
    });
    await this.notify(manager, purchase, charge.amount_refunded - purchase.refundedAmount);
  }

  private async recordInAudit(
    manager: EntityManager,
    event: Stripe.Event,
    purchase: DisputablePurchase,
    refund: { charge: Stripe.Charge; owed: number; taken: number; debt: number },
  ): Promise<void> {
    if (refund.debt > 0) {
      this.logger.warn(
        { purchaseId: purchase.id, chargeId: refund.charge.id, debt: refund.debt },
        'Refunded credits were already spent or held; the rest is owed as debt',
      );
    }
    await this.audit.record(manager, {
      entityType: 'WALLET',
      entityId: purchase.organizationId,
      action: 'REFUND',
      actor: { type: 'WEBHOOK', id: event.id },
      metadata: {
        purchaseId: purchase.id,
        chargeId: refund.charge.id,
        amountRefunded: refund.charge.amount_refunded,
        creditsOwed: refund.owed,
        creditsRemoved: refund.taken,
        debt: refund.debt,
      },
    });
  }

  private async notify(
    manager: EntityManager,
    purchase: DisputablePurchase,
    amount: number,
  ): Promise<void> {
    const contact = await this.customers.contactEmailOf(purchase.organizationId, manager);
    if (!contact) return;
    await this.mail.enqueue(manager, contact, 'refund-issued', {
      name: contact,
      amount: formatMoney(amount, purchase.currency),
    });
  }
}
