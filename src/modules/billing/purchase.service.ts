import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/index.js';
import { EventBus } from '../../events/event-bus.js';
import { TenantService } from '../tenant/tenant.service.js';
import type { PurchaseDto } from './dto/billing-account.dto.js';
import type { CreditPurchase } from './entities/credit-purchase.entity.js';
import { PurchaseRepository } from './purchase.repository.js';
import { renderReceipt } from './receipt.renderer.js';

/** What a refund of a paid purchase needs to know. */
export interface RefundablePurchase {
  id: string;
  organizationId: string;
  /** Credits granted, bonus included. */
  credits: number;
  currency: string;
  refundedAmount: number;
  refundedCredits: number;
}

@Injectable()
export class PurchaseService {
  constructor(
    private readonly purchases: PurchaseRepository,
    private readonly tenants: TenantService,
    private readonly events: EventBus,
  ) {}

  /**
   * Marks the purchase of an intent paid, inside the caller's transaction (a webhook's); once
   * that commits, `purchase.completed` is published.
   */
  async markPaid(
    manager: EntityManager,
    intentId: string,
    stripePaymentIntentId: string | null,
  ): Promise<PurchaseDto | null> {
    const purchase = await this.purchases.markPaid(manager, intentId, stripePaymentIntentId);
    if (!purchase) return null;
    this.events.publishAfterCommit(manager, 'purchase.completed', {
      organizationId: purchase.organizationId,
      purchaseId: purchase.id,
      credits: purchase.credits + purchase.bonusCredits,
    });
    return toDto(purchase);
  }

  /** Marks the purchase of an intent, inside the caller's transaction (a webhook's). */
  markStatus(
    manager: EntityManager,
    intentId: string,
    status: 'expired' | 'failed',
  ): Promise<void> {
    return this.purchases.setStatus(manager, intentId, status);
  }

  /** The pending purchases of these (expired) intents expire too, in the caller's transaction. */
  expireForIntents(manager: EntityManager, intentIds: string[]): Promise<void> {
    return this.purchases.expireForIntents(manager, intentIds);
  }

  /** See PurchaseRepository.lockByPaymentIntent. */
  async lockByPaymentIntent(
    manager: EntityManager,
    stripePaymentIntentId: string,
  ): Promise<RefundablePurchase | null> {
    const purchase = await this.purchases.lockByPaymentIntent(manager, stripePaymentIntentId);
    if (!purchase) return null;
    return {
      id: purchase.id,
      organizationId: purchase.organizationId,
      credits: purchase.credits + purchase.bonusCredits,
      currency: purchase.currency,
      refundedAmount: purchase.refundedAmount,
      refundedCredits: purchase.refundedCredits,
    };
  }

  /** Records Stripe's cumulative refund of a purchase, inside the caller's transaction. */
  recordRefund(
    manager: EntityManager,
    purchaseId: string,
    refund: { refundedAmount: number; refundedCredits: number; fullyRefunded: boolean },
  ): Promise<void> {
    return this.purchases.recordRefund(manager, purchaseId, {
      refundedAmount: refund.refundedAmount,
      refundedCredits: refund.refundedCredits,
      status: refund.fullyRefunded ? 'refunded' : 'paid',
    });
  }

  /** Checkout sessions of credit purchases pending since before `createdBefore` (reconciliation). */
  pendingSessions(createdBefore: Date): Promise<string[]> {
    return this.purchases.pendingSessions(createdBefore);
  }

  async list(organizationId: string): Promise<PurchaseDto[]> {
    return (await this.purchases.listOfOrganization(organizationId)).map(toDto);
  }

  /** A PDF receipt for a paid (or since refunded) purchase; 404 otherwise. */
  async receipt(organizationId: string, purchaseId: string): Promise<Buffer> {
    const purchase = await this.purchases.findOne(organizationId, purchaseId);
    if (!purchase?.paidAt)
      throw new DomainError('NOT_FOUND', 'No receipt: the purchase is unknown or not paid');
    const organization = await this.tenants.findOrganization(organizationId);
    return renderReceipt({
      organizationName: organization?.name ?? '',
      purchaseId: purchase.id,
      packKey: purchase.packKey,
      credits: purchase.credits,
      bonusCredits: purchase.bonusCredits,
      unitAmount: purchase.unitAmount,
      currency: purchase.currency,
      paidAt: purchase.paidAt,
      stripeSessionId: purchase.stripeSessionId,
      stripePaymentIntentId: purchase.stripePaymentIntentId,
    });
  }
}

function toDto(purchase: CreditPurchase): PurchaseDto {
  return {
    id: purchase.id,
    packKey: purchase.packKey,
    credits: purchase.credits,
    bonusCredits: purchase.bonusCredits,
    unitAmount: purchase.unitAmount,
    currency: purchase.currency,
    status: purchase.status,
    refundedAmount: purchase.refundedAmount,
    createdAt: purchase.createdAt.toISOString(),
    paidAt: purchase.paidAt?.toISOString() ?? null,
  };
}
