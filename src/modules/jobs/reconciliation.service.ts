import { Injectable, Logger } from '@nestjs/common';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import type { AuditEntry } from '../audit/audit.types.js';
import { BillingCustomerService } from '../billing/billing-customer.service.js';
import { StripeService } from '../stripe/stripe.service.js';
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
    private readonly subscriptions: SubscriptionService,
    private readonly sync: SubscriptionSyncService,
    private readonly webhooks: StripeWebhookService,
    private readonly transactions: TransactionRunner,
    private readonly metrics: MetricsService,
  ) {}

  /** Re-reads the organization's subscriptions from Stripe and corrects ours. */
  async syncOrganization(
    organizationId: string,
    actor: AuditEntry['actor'],
  ): Promise<OrganizationSync> {
    this.stripe.assertConfigured();
    const customerId = await this.customers.find(organizationId);
    if (!customerId) return { checked: 0, corrected: 0, drift: [] };
    const remote = await this.stripe.listSubscriptions(customerId);
    const drift: Drift[] = [];
    for (const subscription of remote) {
      const fields = await this.transactions.run((manager) =>
        this.sync.reconcile(manager, organizationId, subscription, actor),
      );
      if (fields.length === 0) continue;
      drift.push({ stripeSubscriptionId: subscription.id, fields });
      for (const field of fields) this.metrics.reconciliationDrift.inc({ field });
      this.logger.warn(
        { organizationId, stripeSubscriptionId: subscription.id, fields },
        'Subscription drifted from Stripe; corrected',
      );
    }
    return { checked: remote.length, corrected: drift.length, drift };
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
      corrected += (await this.syncOrganization(organizationId, actor)).corrected;
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
      const result = await this.syncOrganization(organizationId, actor);
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
    };
  }
}
