import { Injectable } from '@nestjs/common';
import { CronExpression } from '@nestjs/schedule';
import { StripeWebhookService } from '../webhook/stripe-webhook.service.js';
import type { JobResult, ScheduledJob } from './scheduled-job.js';

/** Failed Stripe events whose backoff has run out are applied again. */
@Injectable()
export class WebhookRetryJob implements ScheduledJob {
  readonly name = 'webhook-retry';
  readonly schedule = CronExpression.EVERY_MINUTE;

  constructor(private readonly webhooks: StripeWebhookService) {}

  run(): Promise<JobResult> {
    return this.webhooks.retryDue();
  }
}
