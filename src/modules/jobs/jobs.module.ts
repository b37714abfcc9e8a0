import { Module } from '@nestjs/common';
import { WebhookModule } from '../webhook/webhook.module.js';
import { JobLock } from './job-lock.js';
import { JobsService, SCHEDULED_JOBS } from './jobs.service.js';
import { WebhookRetryJob } from './webhook-retry.job.js';

/** Scheduled maintenance, run once across replicas; each job calls the services it maintains. */
@Module({
  imports: [WebhookModule],
  providers: [
    JobLock,
    JobsService,
    WebhookRetryJob,
    {
      provide: SCHEDULED_JOBS,
      inject: [WebhookRetryJob],
      useFactory: (...jobs: unknown[]) => jobs,
    },
  ],
  exports: [JobsService],
})
export class JobsModule {}
