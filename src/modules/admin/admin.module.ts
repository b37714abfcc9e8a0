import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { BillingModule } from '../billing/billing.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { UserModule } from '../user/user.module.js';
import { SubscriptionModule } from '../subscription/subscription.module.js';
import { TenantModule } from '../tenant/tenant.module.js';
import { WalletModule } from '../wallet/wallet.module.js';
import { WebhookModule } from '../webhook/webhook.module.js';
import { AdminAuditLogsController } from './admin-audit-logs.controller.js';
import { AdminJobsController } from './admin-jobs.controller.js';
import { AdminOverviewController } from './admin-overview.controller.js';
import { AdminMaintenanceController } from './admin-maintenance.controller.js';
import { AdminWebhooksController } from './admin-webhooks.controller.js';
import { AdminService } from './admin.service.js';
import { InternalApiKeyGuard } from './internal-api-key.guard.js';

/** The operators' API under /v1/admin, behind INTERNAL_API_KEY. */
@Module({
  imports: [
    JobsModule,
    WebhookModule,
    AuditModule,
    BillingModule,
    UserModule,
    WalletModule,
    SubscriptionModule,
    TenantModule,
  ],
  controllers: [
    AdminAuditLogsController,
    AdminJobsController,
    AdminMaintenanceController,
    AdminOverviewController,
    AdminWebhooksController,
  ],
  providers: [InternalApiKeyGuard, AdminService],
})
export class AdminModule {}
