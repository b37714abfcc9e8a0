import { Injectable, Logger } from '@nestjs/common';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import type Stripe from 'stripe';
import { BillingCustomerService } from '../billing/billing-customer.service.js';
import { PurchaseService } from '../billing/purchase.service.js';
import { StripeService } from '../stripe/stripe.service.js';
import type { ChangeContext } from '../subscription/subscription-changes.js';
import { SubscriptionSyncService } from '../subscription/subscription-sync.service.js';
import { SubscriptionService } from '../subscription/subscription.service.js';
import { StripeWebhookService } from '../webhook/stripe-webhook.service.js';

export interface Drift {
  stripeSubscriptionId: string;
  fields: string[];
}

export interface OrganizationSync {
  checked: number;
  corrected: number;
  drift: Drift[];
}

const UNDELIVERED_WINDOW_MS = 30 * 86_400_000;
/** Checkout sessions are left to their webhook for this long before we go and look. */
const PENDING_GRACE_MS = 3_600_000;

/**
 * Stripe is the source of truth (DESIGN principle 1): this re-reads it and corrects our copy
 * where they differ, reporting each drift (log, metric, and the audit row of the correction).
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger(ReconciliationService.name);

  constructor(
    private readonly stripe: StripeService,
    private readonly customers: BillingCustomerService,
    private readonly purchases: PurchaseService,
    private readonly subscriptions: SubscriptionService,
    private readonly sync: SubscriptionSyncService,
    private readonly webhooks: StripeWebhookService,
    private readonly transactions: TransactionRunner,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Re-reads the organization's subscriptions from Stripe and applies each as a fresh read
   * (newer than anything applied before) through the one write path. `context.auditUnchanged`
   * records the check even where nothing drifted (an operator's sync).
   */
  async syncOrganization(
    organizationId: string,
    context: Omit<ChangeContext, 'recipient' | 'cause'> & { cause?: string },
  ): Promise<OrganizationSync> {
    this.stripe.assertConfigured();
    const customerId = await this.customers.find(organizationId);
    if (!customerId) return { checked: 0, corrected: 0, drift: [] };
    const listed = await this.stripe.listSubscriptions(customerId);
    const drift: Drift[] = [];
    for (const { id } of listed) {
      const read = await this.sync.read(id);
      if (!read) continue;
      const { changed: fields } = await this.transactions.run(async (manager) =>
        this.sync.apply(
          manager,
          organizationId,
          read.remote,
          { syncedAt: read.readAt },
          {
            cause: 'reconciliation',
            ...context,
            recipient: await this.customers.noticeRecipient(organizationId, manager),
          },
        ),
      );
      if (fields.length === 0) continue;
      drift.push({ stripeSubscriptionId: id, fields });
      for (const field of fields) this.metrics.reconciliationDrift.inc({ field });
      this.logger.warn(
        { organizationId, stripeSubscriptionId: id, fields },
        'Subscription drifted from Stripe; corrected',
      );
    }
    return { checked: listed.length, corrected: drift.length, drift };
  }

  /**
   * Trials that ended while our copy still says `trialing` (Stripe's update is late or lost):
   * re-read from Stripe, which says whether the trial became a paid subscription or ended.
   */
  async endedTrials(): Promise<Record<string, number>> {
    if (!this.stripe.isConfigured) return { organizations: 0 };
    const organizations = await this.subscriptions.organizationsWithEndedTrials();
    let corrected = 0;
    for (const organizationId of organizations) {
      const actor = { type: 'SYSTEM' as const, id: 'trial-end' };
      corrected += (await this.syncOrganization(organizationId, { actor, cause: 'job:trial-end' }))
        .corrected;
    }
    return { organizations: organizations.length, corrected };
  }

  /**
   * The nightly run: every organization with a live subscription, then the events Stripe could
   * not deliver in the last 30 days, stored and applied as if delivered (which also completes
   * credit purchases whose confirmation never arrived). Nothing to do without Stripe.
   */
  async nightly(): Promise<Record<string, number>> {
    if (!this.stripe.isConfigured) return { organizations: 0 };
    const actor = { type: 'SYSTEM' as const, id: 'reconciliation' };
    let checked = 0;
    let corrected = 0;
    const organizations = await this.subscriptions.organizationsWithLiveSubscriptions();
    for (const organizationId of organizations) {
      const result = await this.syncOrganization(organizationId, { actor });
      checked += result.checked;
      corrected += result.corrected;
    }
    const missed = await this.stripe.listUndeliveredEvents(
      new Date(Date.now() - UNDELIVERED_WINDOW_MS),
    );
    let applied = 0;
    for (const event of missed) {
      const outcome = await this.webhooks.applyFetched(event);
      if (outcome === 'processed' || outcome === 'ignored') applied += 1;
    }
    return {
      organizations: organizations.length,
      subscriptionsChecked: checked,
      drift: corrected,
      undeliveredEvents: missed.length,
      eventsApplied: applied,
      purchasesSettled: await this.settlePendingPurchases(),
    };
  }

  /**
   * Credit purchases not paid an hour after checkout (pending, processing or expired, in the
   * window Stripe keeps sessions): the session as Stripe has it now. A completed or expired
   * session is applied through the same handler as its webhook, as an event of our own
   * (`evt_reconciled_<status>_<payment status>_…`, so a session read unpaid and later paid is
   * applied again), and credits are granted once whichever arrives first.
   */
  private async settlePendingPurchases(): Promise<number> {
    const sessions = await this.purchases.unpaidSessions(
      new Date(Date.now() - UNDELIVERED_WINDOW_MS),
      new Date(Date.now() - PENDING_GRACE_MS),
    );
    let settled = 0;
    for (const sessionId of sessions) {
      const session = await this.stripe.retrieveCheckoutSession(sessionId);
      const type =
        session.status === 'complete'
          ? 'checkout.session.completed'
          : session.status === 'expired'
            ? 'checkout.session.expired'
            : null;
      if (!type) continue;
      const event = {
        id: `evt_reconciled_${session.status}_${session.payment_status}_${session.id}`,
        object: 'event',
        type,
        created: Math.floor(Date.now() / 1000),
        data: { object: session },
        livemode: session.livemode,
        pending_webhooks: 0,
        request: null,
        api_version: null,
      } as unknown as Stripe.Event;
      if ((await this.webhooks.applyFetched(event)) === 'processed') settled += 1;
    }
    return settled;
  }
}
