import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { TenantModule } from '../tenant/tenant.module.js';
import { BillingCatalogController } from './billing-catalog.controller.js';
import { BillingCatalogService } from './billing-catalog.service.js';

@Module({
  imports: [CatalogModule, TenantModule],
  controllers: [BillingCatalogController],
  providers: [BillingCatalogService],
})
export class BillingModule {}
