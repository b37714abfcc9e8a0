import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { CommonModule } from './common/common.module.js';
import { IdempotencyModule } from './common/idempotency/idempotency.module.js';
import { ProblemDetailsFilter } from './common/filters/problem-details.filter.js';
import { LoggerModule } from './common/logging/logger.module.js';
import { RateLimitModule } from './common/rate-limit/rate-limit.module.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { EventsModule } from './events/events.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { AdminModule } from './modules/admin/admin.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { BillingModule } from './modules/billing/billing.module.js';
import { CatalogModule } from './modules/catalog/catalog.module.js';
import { EntitlementModule } from './modules/entitlement/entitlement.module.js';
import { JobsModule } from './modules/jobs/jobs.module.js';
import { MailModule } from './modules/mail/mail.module.js';
import { RealtimeModule } from './modules/realtime/realtime.module.js';
import { TenantModule } from './modules/tenant/tenant.module.js';
import { UserModule } from './modules/user/user.module.js';
import { WalletModule } from './modules/wallet/wallet.module.js';
import { WebhookModule } from './modules/webhook/webhook.module.js';

@Module({
  imports: [
    ConfigModule,
    LoggerModule,
    ScheduleModule.forRoot(),
    CommonModule,
    RateLimitModule,
    DatabaseModule,
    IdempotencyModule,
    EventsModule,
    MetricsModule,
    HealthModule,
    AuditModule,
    MailModule,
    CatalogModule,
    UserModule,
    TenantModule,
    AuthModule,
    EntitlementModule,
    WalletModule,
    BillingModule,
    WebhookModule,
    RealtimeModule,
    JobsModule,
    AdminModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
})
export class AppModule {}
