import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import type { StripeEventHandler } from './stripe-event-handler.js';

/**
 * `charge.dispute.created`: a customer contests a payment with their bank. Recorded in the audit
 * log (entity WEBHOOK, action DISPUTE), where operators find it, and logged as a warning.
 */
@Injectable()
export class DisputeHandler implements StripeEventHandler {
  readonly types = ['charge.dispute.created'] as const;
  private readonly logger = new Logger(DisputeHandler.name);

  constructor(private readonly audit: AuditService) {}

  async handle(manager: EntityManager, event: Stripe.Event): Promise<void> {
    const dispute = event.data.object as Stripe.Dispute;
    const charge = typeof dispute.charge === 'string' ? dispute.charge : dispute.charge.id;
    this.logger.warn(
      { disputeId: dispute.id, charge, amount: dispute.amount, reason: dispute.reason },
      'Payment disputed',
    );
    await this.audit.record(manager, {
      entityType: 'WEBHOOK',
      entityId: dispute.id,
      action: 'DISPUTE',
      actor: { type: 'WEBHOOK', id: event.id },
      metadata: {
        charge,
        amount: dispute.amount,
        currency: dispute.currency,
        reason: dispute.reason,
        status: dispute.status,
      },
    });
  }
}
