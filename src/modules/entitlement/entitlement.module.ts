import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '../catalog/catalog.module.js';
import { SubscriptionModule } from '../subscription/subscription.module.js';
import { TenantModule } from '../tenant/tenant.module.js';
import { EntitlementCache } from './entitlement-cache.js';
import { EntitlementController } from './entitlement.controller.js';
import { EntitlementService } from './entitlement.service.js';
import { UsageCounter } from './entities/usage-counter.entity.js';
import { UsageDailyTotal } from './entities/usage-daily-total.entity.js';
import { RequireFeatureGuard } from './require-feature.guard.js';
import { UsageController } from './usage.controller.js';
import { UsageRepository } from './usage.repository.js';
import { UsageService } from './usage.service.js';

/** Features, limits and usage per plan level; the level cache; seats; @RequireFeature(). */
@Module({
  imports: [
    TypeOrmModule.forFeature([UsageCounter, UsageDailyTotal]),
    CatalogModule,
    SubscriptionModule,
    TenantModule,
  ],
  controllers: [EntitlementController, UsageController],
  providers: [
    EntitlementCache,
    EntitlementService,
    UsageRepository,
    UsageService,
    RequireFeatureGuard,
  ],
  exports: [EntitlementService, UsageService, RequireFeatureGuard],
})
export class EntitlementModule {}
