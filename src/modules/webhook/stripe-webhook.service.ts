import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/index.js';
import { pageOf, type Page, type PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { AuditEntry } from '../audit/audit.types.js';
import { StripeService } from '../stripe/stripe.service.js';
import { ChargeRefundedHandler } from './handlers/charge-refunded.handler.js';
import { CheckoutCompletedHandler } from './handlers/checkout-completed.handler.js';
import { CheckoutExpiredHandler } from './handlers/checkout-expired.handler.js';
import { DisputeHandler } from './handlers/dispute.handler.js';
import type { StripeEventHandler } from './handlers/stripe-event-handler.js';
import { SubscriptionEventsHandler } from './handlers/subscription-events.handler.js';
import { TrialWillEndHandler } from './handlers/trial-will-end.handler.js';
import type { StripeEventStatus } from './entities/stripe-event.entity.js';
import { StripeEventRepository } from './stripe-event.repository.js';

export type { StripeEventStatus };

export type WebhookOutcome = 'processed' | 'ignored' | 'duplicate';

export interface StoredStripeEvent {
  id: string;
  type: string;
  status: StripeEventStatus;
  attempts: number;
  lastError: string | null;
  created: string;
  receivedAt: string;
  processedAt: string | null;
  object: Record<string, unknown>;
}

/**
 * Doubling waits make eight tries span about four hours (Stripe keeps redelivering for three
 * days besides); after that an event waits for an operator's retry.
 */
const MAX_RETRY_ATTEMPTS = 8;
const RETRY_BATCH = 50;

/**
 * Stripe's deliveries: verified, stored in the inbox by event id, and applied once. An event's
 * effects commit together with its inbox row or not at all; a failure is recorded and rethrown
 * (500) so that Stripe delivers again.
 */
@Injectable()
export class StripeWebhookService {
  private readonly logger = new Logger(StripeWebhookService.name);
  private readonly handlers = new Map<string, StripeEventHandler>();

  constructor(
    private readonly stripe: StripeService,
    private readonly inbox: StripeEventRepository,
    private readonly transactions: TransactionRunner,
    private readonly metrics: MetricsService,
    private readonly audit: AuditService,
    chargeRefunded: ChargeRefundedHandler,
    checkoutCompleted: CheckoutCompletedHandler,
    checkoutExpired: CheckoutExpiredHandler,
    disputes: DisputeHandler,
    subscriptionEvents: SubscriptionEventsHandler,
    trialWillEnd: TrialWillEndHandler,
  ) {
    const all = [
      chargeRefunded,
      checkoutCompleted,
      checkoutExpired,
      disputes,
      subscriptionEvents,
      trialWillEnd,
    ];
    for (const handler of all) {
      for (const type of handler.types) this.handlers.set(type, handler);
    }
  }

  async receive(
    rawBody: Buffer | undefined,
    signature: string | undefined,
  ): Promise<WebhookOutcome> {
    return this.process(this.stripe.verifyWebhook(rawBody, signature));
  }

  /**
   * Runs the failed events whose backoff has run out again (the retry job), each in its own
   * transaction; one that fails again waits longer. Returns how many were tried and applied.
   */
  async retryDue(): Promise<{ tried: number; applied: number }> {
    const due = await this.inbox.dueForRetry(MAX_RETRY_ATTEMPTS, RETRY_BATCH);
    let applied = 0;
    for (const event of due) {
      try {
        if ((await this.process(event)) !== 'duplicate') applied += 1;
      } catch {
        // recorded by process(); the event waits for its next attempt
      }
    }
    return { tried: due.length, applied };
  }

  /**
   * An event fetched from Stripe rather than delivered (reconciliation): stored and applied like
   * a delivery, once. A failure is recorded for the retry job and reported, not thrown.
   */
  async applyFetched(event: Stripe.Event): Promise<WebhookOutcome | 'failed'> {
    try {
      return await this.process(event);
    } catch {
      return 'failed';
    }
  }

  /**
   * Runs one stored event again now, whatever its backoff (an operator's retry). An event
   * already applied is not applied twice: the answer says so. `audit` is written in the same
   * transaction as the event's effects.
   */
  async retry(eventId: string, audit: Omit<AuditEntry, 'entityType' | 'entityId' | 'action'>) {
    const stored = await this.inbox.find(eventId);
    if (!stored) throw new DomainError('NOT_FOUND', `No stored Stripe event ${eventId}`);
    const event = stored.payload as unknown as Stripe.Event;
    try {
      const outcome = await this.process(event, (manager) =>
        this.audit.record(manager, {
          ...audit,
          entityType: 'WEBHOOK',
          entityId: eventId,
          action: 'RETRY',
        }),
      );
      return { eventId, outcome, error: null };
    } catch (error) {
      return { eventId, outcome: 'failed' as const, error: messageOf(error) };
    }
  }

  countByStatus(): Promise<Record<string, number>> {
    return this.inbox.countByStatus();
  }

  /** Retention: applied or ignored events older than `before`. */
  deleteFinishedBefore(before: Date): Promise<number> {
    return this.inbox.deleteFinishedBefore(before);
  }

  /** The inbox for operators, newest first: disputes, failures, anything by type or status. */
  async list(
    filter: { status?: StripeEventStatus; type?: string },
    query: PageQueryDto,
  ): Promise<Page<StoredStripeEvent>> {
    const [rows, total] = await this.inbox.list(filter, {
      limit: query.perPage,
      offset: (query.page - 1) * query.perPage,
    });
    const data = rows.map((row) => ({
      id: row.id,
      type: row.type,
      status: row.status,
      attempts: row.attempts,
      lastError: row.lastError,
      created: new Date(Number(row.stripeCreated) * 1000).toISOString(),
      receivedAt: row.receivedAt.toISOString(),
      processedAt: row.processedAt?.toISOString() ?? null,
      object: (row.payload as { data?: { object?: Record<string, unknown> } }).data?.object ?? {},
    }));
    return pageOf(data, total, query);
  }

  private async process(
    event: Stripe.Event,
    alongside?: (manager: EntityManager) => Promise<void>,
  ): Promise<WebhookOutcome> {
    try {
      const outcome = await this.apply(event, alongside);
      this.metrics.webhookEvents.inc({ type: event.type, outcome });
      return outcome;
    } catch (error) {
      this.metrics.webhookEvents.inc({ type: event.type, outcome: 'failed' });
      this.logger.error(
        { err: error, eventId: event.id, type: event.type },
        'Stripe event failed; it will be retried',
      );
      await this.inbox.recordFailure(event, messageOf(error));
      throw error;
    }
  }

  private async apply(
    event: Stripe.Event,
    alongside?: (manager: EntityManager) => Promise<void>,
  ): Promise<WebhookOutcome> {
    const handler = this.handlers.get(event.type);
    // What the handler must ask Stripe, asked before the transaction (and not for a duplicate).
    const prepared =
      handler?.prepare && !(await this.inbox.isFinished(event.id))
        ? await handler.prepare(event)
        : undefined;
    return this.transactions.run(async (manager) => {
      const status = await this.inbox.claim(manager, event);
      if (status === 'processed' || status === 'ignored') return 'duplicate';
      if (handler) await handler.handle(manager, event, prepared);
      const outcome = handler ? 'processed' : 'ignored';
      await this.inbox.finish(manager, event.id, outcome);
      await alongside?.(manager);
      return outcome;
    });
  }
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
