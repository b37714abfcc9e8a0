import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { BillingModule } from '../billing/billing.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { UserModule } from '../user/user.module.js';
import { WalletModule } from '../wallet/wallet.module.js';
import { WebhookModule } from '../webhook/webhook.module.js';
import { AdminAuditLogsController } from './admin-audit-logs.controller.js';
import { AdminJobsController } from './admin-jobs.controller.js';
import { AdminMaintenanceController } from './admin-maintenance.controller.js';
import { AdminWebhooksController } from './admin-webhooks.controller.js';
import { InternalApiKeyGuard } from './internal-api-key.guard.js';

/** The operators' API under /v1/admin, behind INTERNAL_API_KEY. */
@Module({
  imports: [JobsModule, WebhookModule, AuditModule, BillingModule, UserModule, WalletModule],
  controllers: [
    AdminAuditLogsController,
    AdminJobsController,
    AdminMaintenanceController,
    AdminWebhooksController,
  ],
  providers: [InternalApiKeyGuard],
})
export class AdminModule {}
