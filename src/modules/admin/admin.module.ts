import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { WebhookModule } from '../webhook/webhook.module.js';
import { AdminJobsController } from './admin-jobs.controller.js';
import { AdminWebhooksController } from './admin-webhooks.controller.js';
import { InternalApiKeyGuard } from './internal-api-key.guard.js';

/** The operators' API under /v1/admin, behind INTERNAL_API_KEY. */
@Module({
  imports: [JobsModule, WebhookModule],
  controllers: [AdminJobsController, AdminWebhooksController],
  providers: [InternalApiKeyGuard],
})
export class AdminModule {}
