import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { BillingModule } from '../billing/billing.module.js';
import { MailModule } from '../mail/mail.module.js';
import { StripeModule } from '../stripe/stripe.module.js';
import { SubscriptionModule } from '../subscription/subscription.module.js';
import { TenantModule } from '../tenant/tenant.module.js';
import { WalletModule } from '../wallet/wallet.module.js';
import { WebhookModule } from '../webhook/webhook.module.js';
import { JobLock } from './job-lock.js';
import { JobsService, SCHEDULED_JOBS } from './jobs.service.js';
import {
  GracePeriodJob,
  IntentExpiryJob,
  MailOutboxJob,
  ReconciliationJob,
  RetentionJob,
  TrialEndJob,
} from './maintenance.jobs.js';
import { ReconciliationService } from './reconciliation.service.js';
import { ReservationExpiryJob } from './reservation-expiry.job.js';
import { WebhookRetryJob } from './webhook-retry.job.js';

const JOBS = [
  WebhookRetryJob,
  ReservationExpiryJob,
  IntentExpiryJob,
  GracePeriodJob,
  MailOutboxJob,
  RetentionJob,
  ReconciliationJob,
  TrialEndJob,
];

/** Scheduled maintenance, run once across replicas; each job calls the services it maintains. */
@Module({
  imports: [
    WebhookModule,
    WalletModule,
    AuditModule,
    AuthModule,
    BillingModule,
    MailModule,
    SubscriptionModule,
    TenantModule,
    StripeModule,
  ],
  providers: [
    JobLock,
    JobsService,
    ReconciliationService,
    ...JOBS,
    { provide: SCHEDULED_JOBS, inject: JOBS, useFactory: (...jobs: unknown[]) => jobs },
  ],
  exports: [JobsService, ReconciliationService],
})
export class JobsModule {}
