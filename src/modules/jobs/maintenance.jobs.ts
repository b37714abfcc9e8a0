import { Injectable } from '@nestjs/common';
import { CronExpression } from '@nestjs/schedule';
import { IdempotencyStore } from '../../common/idempotency/idempotency.store.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { AuditService } from '../audit/audit.service.js';
import { TokenRetentionService } from '../auth/token-retention.service.js';
import { BillingCustomerService } from '../billing/billing-customer.service.js';
import { CheckoutExpiryService } from '../billing/checkout-expiry.service.js';
import { MailOutboxProcessor } from '../mail/mail-outbox.processor.js';
import { SubscriptionSyncService } from '../subscription/subscription-sync.service.js';
import { TenantService } from '../tenant/tenant.service.js';
import { StripeWebhookService } from '../webhook/stripe-webhook.service.js';
import { ReconciliationService } from './reconciliation.service.js';
import type { JobResult, ScheduledJob } from './scheduled-job.js';

const DAY_MS = 86_400_000;

/** Pending intents (and their credit purchases) past `expiresAt` expire. */
@Injectable()
export class IntentExpiryJob implements ScheduledJob {
  readonly name = 'intent-expiry';
  readonly schedule = CronExpression.EVERY_MINUTE;

  constructor(private readonly checkouts: CheckoutExpiryService) {}

  async run(): Promise<JobResult> {
    return { expired: (await this.checkouts.expireAbandoned()).expiredCount };
  }
}

/** Past-due subscriptions whose grace period ran out expire (entitlements drop with them). */
@Injectable()
export class GracePeriodJob implements ScheduledJob {
  readonly name = 'grace-period-end';
  readonly schedule = CronExpression.EVERY_5_MINUTES;

  constructor(
    private readonly subscriptions: SubscriptionSyncService,
    private readonly customers: BillingCustomerService,
    private readonly transactions: TransactionRunner,
  ) {}

  async run(): Promise<JobResult> {
    const expired = await this.transactions.run((manager) =>
      this.subscriptions.expireGracePeriods(manager, (organizationId) =>
        this.customers.noticeRecipient(organizationId, manager),
      ),
    );
    return { expired };
  }
}

/** The mail outbox, for a process that does not wake it itself (the sender also polls). */
@Injectable()
export class MailOutboxJob implements ScheduledJob {
  readonly name = 'mail-outbox';
  readonly schedule = CronExpression.EVERY_MINUTE;

  constructor(private readonly outbox: MailOutboxProcessor) {}

  async run(): Promise<JobResult> {
    return { sent: await this.outbox.sendDue() };
  }
}

/**
 * Retention: audit entries older than two years (except subscriptions' and organizations'),
 * applied webhook events older than 30 days, idempotency keys older than 24 hours, expired
 * tokens and invitations.
 */
@Injectable()
export class RetentionJob implements ScheduledJob {
  readonly name = 'retention';
  readonly schedule = CronExpression.EVERY_DAY_AT_3AM;

  constructor(
    private readonly audit: AuditService,
    private readonly webhooks: StripeWebhookService,
    private readonly idempotency: IdempotencyStore,
    private readonly tokens: TokenRetentionService,
    private readonly tenants: TenantService,
    private readonly transactions: TransactionRunner,
  ) {}

  async run(): Promise<JobResult> {
    const now = Date.now();
    return {
      auditLogs: await this.audit.pruneOlderThan(new Date(now - 730 * DAY_MS), [
        'SUBSCRIPTION',
        'ORGANIZATION',
      ]),
      webhookEvents: await this.webhooks.deleteFinishedBefore(new Date(now - 30 * DAY_MS)),
      idempotencyKeys: await this.transactions.run((manager) =>
        this.idempotency.deleteOlderThan(manager, new Date(now - DAY_MS)),
      ),
      tokens: await this.tokens.deleteExpired(),
      invitations: await this.tenants.deleteExpiredInvitations(),
    };
  }
}

/** Each night: our subscriptions against Stripe's, and the events Stripe failed to deliver. */
@Injectable()
export class ReconciliationJob implements ScheduledJob {
  readonly name = 'reconciliation';
  readonly schedule = CronExpression.EVERY_DAY_AT_2AM;

  constructor(private readonly reconciliation: ReconciliationService) {}

  run(): Promise<JobResult> {
    return this.reconciliation.nightly();
  }
}

/** Trials that ended without Stripe's update yet are re-read from Stripe. */
@Injectable()
export class TrialEndJob implements ScheduledJob {
  readonly name = 'trial-end';
  readonly schedule = CronExpression.EVERY_HOUR;

  constructor(private readonly reconciliation: ReconciliationService) {}

  run(): Promise<JobResult> {
    return this.reconciliation.endedTrials();
  }
}
