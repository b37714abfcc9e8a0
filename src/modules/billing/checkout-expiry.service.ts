import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { AuditService } from '../audit/audit.service.js';
import type { AuditContext } from '../audit/audit.types.js';
import { IntentService } from '../intent/intent.service.js';
import { PurchaseService } from './purchase.service.js';

/** Abandoned checkouts: intents past `expiresAt` expire, and their credit purchases with them. */
@Injectable()
export class CheckoutExpiryService {
  constructor(
    private readonly intents: IntentService,
    private readonly purchases: PurchaseService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
  ) {}

  /** `audit`, when an operator asked, is recorded with the change. */
  expireAbandoned(audit?: AuditContext): Promise<{ expiredCount: number }> {
    return this.transactions.run(async (manager) => {
      const expired = await this.intents.expireStale(manager);
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
}
