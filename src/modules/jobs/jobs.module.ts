import { Module } from '@nestjs/common';
import { WalletModule } from '../wallet/wallet.module.js';
import { WebhookModule } from '../webhook/webhook.module.js';
import { JobLock } from './job-lock.js';
import { JobsService, SCHEDULED_JOBS } from './jobs.service.js';
import { ReservationExpiryJob } from './reservation-expiry.job.js';
import { WebhookRetryJob } from './webhook-retry.job.js';

/** Scheduled maintenance, run once across replicas; each job calls the services it maintains. */
@Module({
  imports: [WebhookModule, WalletModule],
  providers: [
    JobLock,
    JobsService,
    WebhookRetryJob,
    ReservationExpiryJob,
    {
      provide: SCHEDULED_JOBS,
      inject: [WebhookRetryJob, ReservationExpiryJob],
      useFactory: (...jobs: unknown[]) => jobs,
    },
  ],
  exports: [JobsService],
})
export class JobsModule {}
