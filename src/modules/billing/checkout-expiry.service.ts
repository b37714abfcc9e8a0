import { Injectable, Logger } from '@nestjs/common';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { AuditService } from '../audit/audit.service.js';
import type { AuditContext } from '../audit/audit.types.js';
import { IntentService } from '../intent/intent.service.js';
import { StripeService } from '../stripe/stripe.service.js';
import { PurchaseService } from './purchase.service.js';

const BATCH = 200;

/**
 * Abandoned checkouts: pending intents past their expiry expire, and their credit purchases with
 * them, but only once Stripe says the Checkout Session can no longer be paid (DESIGN principle
 * 2): a session still open, or completed and awaiting an asynchronous payment (a bank debit),
 * keeps its intent; such a purchase shows as `processing`. When Stripe cannot be asked, nothing
 * with a session expires.
 */
@Injectable()
export class CheckoutExpiryService {
  private readonly logger = new Logger(CheckoutExpiryService.name);

  constructor(
    private readonly intents: IntentService,
    private readonly purchases: PurchaseService,
    private readonly stripe: StripeService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
  ) {}

  /** `audit`, when an operator asked, is recorded with the change. */
  async expireAbandoned(audit?: AuditContext): Promise<{ expiredCount: number }> {
    const candidates = await this.intents.pastExpiry(BATCH);
    // One at a time: a backlog must not become a burst against Stripe's rate limit.
    const decided: Awaited<ReturnType<CheckoutExpiryService['decide']>>[] = [];
    for (const intent of candidates) decided.push(await this.decide(intent));
    const expirable = candidates.filter((_, i) => decided[i] === 'expire').map((i) => i.id);
    const processing = candidates.filter((_, i) => decided[i] === 'processing').map((i) => i.id);
    return this.transactions.run(async (manager) => {
      await this.purchases.markProcessing(manager, processing);
      const expired = await this.intents.expirePending(manager, expirable);
      await this.purchases.expireForIntents(manager, expired);
      if (audit) {
        await this.audit.record(manager, {
          ...audit,
          entityType: 'INTENT',
          entityId: '*',
          action: 'EXPIRE',
          changes: { status: { from: 'pending', to: 'expired' } },
          metadata: { ...audit.metadata, expiredIds: expired },
        });
      }
      return { expiredCount: expired.length };
    });
  }

  /** What Stripe's session says of a pending intent past its expiry. */
  private async decide(intent: {
    stripeSessionId: string | null;
  }): Promise<'expire' | 'processing' | 'keep'> {
    if (!intent.stripeSessionId) return 'expire';
    if (!this.stripe.isConfigured) return 'keep';
    try {
      const session = await this.stripe.retrieveCheckoutSession(intent.stripeSessionId);
      if (session.status === 'expired') return 'expire';
      if (session.status === 'complete' && session.payment_status === 'unpaid') return 'processing';
      return 'keep';
    } catch (error) {
      this.logger.warn(
        { err: error, sessionId: intent.stripeSessionId },
        'Could not ask Stripe about a checkout session; its intent is kept',
      );
      return 'keep';
    }
  }
}
