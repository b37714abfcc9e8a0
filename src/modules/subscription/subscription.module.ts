import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { MailModule } from '../mail/mail.module.js';
import { StripeModule } from '../stripe/stripe.module.js';
import { TenantModule } from '../tenant/tenant.module.js';
import { UserModule } from '../user/user.module.js';
import { SubscriptionChanges } from './subscription-changes.js';
import { Subscription } from './entities/subscription.entity.js';
import { SubscriptionChangeService } from './subscription-change.service.js';
import { SubscriptionManagementService } from './subscription-management.service.js';
import { OperatorSubscriptionService } from './operator-subscription.service.js';
import { SubscriptionController } from './subscription.controller.js';
import { SubscriptionRepository } from './subscription.repository.js';
import { SubscriptionSyncService } from './subscription-sync.service.js';
import { SubscriptionService } from './subscription.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Subscription]),
    StripeModule,
    CatalogModule,
    AuditModule,
    MailModule,
    UserModule,
    TenantModule,
  ],
  controllers: [SubscriptionController],
  providers: [
    SubscriptionRepository,
    SubscriptionChanges,
    OperatorSubscriptionService,
    SubscriptionService,
    SubscriptionManagementService,
    SubscriptionChangeService,
    SubscriptionSyncService,
  ],
  exports: [SubscriptionService, SubscriptionSyncService, OperatorSubscriptionService],
})
export class SubscriptionModule {}
