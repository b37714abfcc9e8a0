import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per app instance (not prom-client's global one), so several apps in one
 * process, as in the test suites, do not collide.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly webhookEvents = new Counter({
    name: 'stripe_webhook_events_total',
    help: 'Stripe webhook events by type and outcome (processed, ignored, duplicate, failed)',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly creditsCharged = new Counter({
    name: 'credits_charged_total',
    help: 'Credits charged (charges and finalized reservations), by feature',
    labelNames: ['feature'] as const,
    registers: [this.registry],
  });

  readonly usageRecordingFailures = new Counter({
    name: 'usage_recording_failures_total',
    help: 'Usage statistics of a charge that could not be recorded (the charge stood)',
    registers: [this.registry],
  });

  readonly subscriptionFlags = new Counter({
    name: 'subscription_flags_total',
    help: 'Subscriptions flagged for operators, by reason (a price outside the catalog, a second live subscription)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly reconciliationDrift = new Counter({
    name: 'reconciliation_drift_total',
    help: 'Subscriptions found to differ from Stripe and corrected, by field',
    labelNames: ['field'] as const,
    registers: [this.registry],
  });

  readonly jobRuns = new Counter({
    name: 'job_runs_total',
    help: 'Scheduled job runs by job and outcome (success, skipped: another replica had it, failure)',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly jobItems = new Counter({
    name: 'job_items_affected_total',
    help: 'Items a job run affected (expired, retried, deleted…), by job',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'job_run_duration_seconds',
    help: 'Duration of the job runs that did the work, by job',
    labelNames: ['job'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
