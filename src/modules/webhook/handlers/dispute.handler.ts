import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { PurchaseService, type DisputablePurchase } from '../../billing/purchase.service.js';
import { MailService } from '../../mail/mail.service.js';
import { TenantService } from '../../tenant/tenant.service.js';
import { WalletService } from '../../wallet/wallet.service.js';
import type { StripeEventHandler } from './stripe-event-handler.js';

/** Stripe's closed statuses that leave the money with us. */
const KEPT = ['won', 'warning_closed', 'prevented'];

/**
 * Disputes (chargebacks). `charge.dispute.created` on a credit purchase freezes what is left of
 * the disputed share of its credits: kept, but not spendable. `charge.dispute.closed` releases
 * them when the dispute is won and takes them back, like a refund, when it is lost (debt for what
 * is gone). Each step is audited (entity WALLET) and mailed to the owners; a dispute of any other
 * charge is recorded for operators (entity WEBHOOK, action DISPUTE). A dispute already decided
 * changes nothing more, whichever of its events arrives first.
 */
@Injectable()
export class DisputeHandler implements StripeEventHandler {
  readonly types = ['charge.dispute.created', 'charge.dispute.closed'] as const;
  private readonly logger = new Logger(DisputeHandler.name);

  constructor(
    private readonly purchases: PurchaseService,
    private readonly wallets: WalletService,
    private readonly tenants: TenantService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
  ) {}

  async handle(manager: EntityManager, event: Stripe.Event): Promise<void> {
    const dispute = event.data.object as Stripe.Dispute;
    this.logger.warn(
      { disputeId: dispute.id, amount: dispute.amount, status: dispute.status, type: event.type },
      'Payment disputed',
    );
    const paymentIntent = idOf(dispute.payment_intent);
    const purchase = paymentIntent
      ? await this.purchases.lockByPaymentIntent(manager, paymentIntent)
      : null;
    if (!purchase) return this.recordForOperators(manager, event, dispute);
    if (purchase.disputeStatus === 'won' || purchase.disputeStatus === 'lost') return;
    const disputed = Math.min(
      purchase.credits - purchase.refundedCredits,
      Math.round((purchase.credits * dispute.amount) / purchase.unitAmount),
    );
    if (event.type === 'charge.dispute.created') {
      if (purchase.disputeStatus === 'open') return;
      const frozen = await this.wallets.freeze(manager, purchase.organizationId, disputed);
      await this.purchases.recordDispute(manager, purchase.id, dispute.id, 'open', frozen, 0);
      return this.tell(manager, event, purchase, 'FREEZE', { disputed, frozen });
    }
    if (KEPT.includes(dispute.status)) {
      await this.wallets.unfreeze(
        manager,
        purchase.organizationId,
        purchase.frozenCredits,
        `dispute:${dispute.id}:won`,
      );
      await this.purchases.recordDispute(manager, purchase.id, dispute.id, 'won', 0, 0);
      return this.tell(manager, event, purchase, 'UNFREEZE', { released: purchase.frozenCredits });
    }
    const taken = await this.wallets.takeBack(
      manager,
      {
        organizationId: purchase.organizationId,
        amount: disputed,
        type: 'refund',
        reference: `dispute:${dispute.id}:lost`,
        description: `Dispute lost on credit purchase ${purchase.id}`,
      },
      purchase.frozenCredits,
    );
    await this.purchases.recordDispute(manager, purchase.id, dispute.id, 'lost', 0, disputed);
    return this.tell(manager, event, purchase, 'DISPUTE_LOST', {
      disputed,
      taken: taken?.taken ?? 0,
      debt: taken?.debt ?? 0,
    });
  }

  private async tell(
    manager: EntityManager,
    event: Stripe.Event,
    purchase: DisputablePurchase,
    action: string,
    credits: Record<string, number>,
  ): Promise<void> {
    await this.audit.record(manager, {
      entityType: 'WALLET',
      entityId: purchase.organizationId,
      action,
      actor: { type: 'WEBHOOK', id: event.id },
      metadata: {
        purchaseId: purchase.id,
        dispute: (event.data.object as Stripe.Dispute).id,
        ...credits,
      },
    });
    const outcome = {
      FREEZE: `${credits.frozen} credits are frozen while the bank reviews the payment`,
      UNFREEZE: `the dispute was decided in your favour; ${credits.released} credits are available again`,
      DISPUTE_LOST: `the dispute was lost; ${credits.disputed} credits were taken back`,
    }[action]!;
    for (const email of await this.tenants.ownerEmails(purchase.organizationId, manager))
      await this.mail.enqueue(manager, email, 'credits-disputed', { name: email, outcome });
  }

  private recordForOperators(
    manager: EntityManager,
    event: Stripe.Event,
    dispute: Stripe.Dispute,
  ): Promise<void> {
    return this.audit.record(manager, {
      entityType: 'WEBHOOK',
      entityId: dispute.id,
      action: 'DISPUTE',
      actor: { type: 'WEBHOOK', id: event.id },
      metadata: {
        charge: idOf(dispute.charge),
        amount: dispute.amount,
        currency: dispute.currency,
        reason: dispute.reason,
        status: dispute.status,
      },
    });
  }
}

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  typeof value === 'string' ? value : (value?.id ?? null);
