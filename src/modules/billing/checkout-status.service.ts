import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/index.js';
import type { IntentStatus } from '../intent/entities/subscription-intent.entity.js';
import { IntentService } from '../intent/intent.service.js';
import { SubscriptionService } from '../subscription/subscription.service.js';
import { TenantService } from '../tenant/tenant.service.js';
import { WalletService } from '../wallet/wallet.service.js';
import type { CheckoutStatusDto } from './dto/checkout-status.dto.js';
import { PurchaseRepository } from './purchase.repository.js';

const STATUS: Record<IntentStatus, CheckoutStatusDto['status']> = {
  pending: 'pending',
  completed: 'paid',
  expired: 'expired',
  failed: 'failed',
};

/**
 * What a success page asks after Stripe's redirect. It only reads: granting is the webhook's
 * job alone, or a page load racing the webhook would grant twice.
 */
@Injectable()
export class CheckoutStatusService {
  constructor(
    private readonly intents: IntentService,
    private readonly purchases: PurchaseRepository,
    private readonly subscriptions: SubscriptionService,
    private readonly tenants: TenantService,
    private readonly wallets: WalletService,
  ) {}

  async get(userId: string, sessionId: string): Promise<CheckoutStatusDto> {
    const intent = await this.intents.findBySessionId(sessionId);
    // Someone else's session is as invisible as one that does not exist.
    if (!intent || !(await this.tenants.findRole(intent.organizationId, userId))) {
      throw new DomainError('NOT_FOUND', 'No such checkout session');
    }
    const purchase =
      intent.kind === 'credits' ? await this.purchases.findByIntent(intent.id) : null;
    const paid = purchase?.paidAt !== null && purchase?.paidAt !== undefined;
    return {
      status: paid ? 'paid' : STATUS[intent.status],
      kind: intent.kind,
      creditsGranted: paid ? purchase.credits + purchase.bonusCredits : 0,
      wallet: { balance: await this.wallets.balanceOf(intent.organizationId) },
      subscription: intent.stripeSubscriptionId
        ? await this.subscriptions.findByStripeId(
            intent.organizationId,
            intent.stripeSubscriptionId,
          )
        : null,
    };
  }
}
