import { Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal.js';
import { CatalogService } from '../catalog/catalog.service.js';
import type { Level, Region } from '../catalog/catalog.schema.js';
import { TenantService } from '../tenant/tenant.service.js';
import type { CreditPackDto, PlansResponseDto } from './dto/catalog.dto.js';

@Injectable()
export class BillingCatalogService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly tenants: TenantService,
  ) {}

  async plans(requested: string | undefined, caller?: Principal): Promise<PlansResponseDto> {
    const region = await this.resolveRegion(requested, caller);
    return {
      region,
      currency: this.catalog.currencyOf(region),
      plans: this.catalog.plans(region).map((plan) => ({
        productKey: plan.productKey,
        tier: plan.tier,
        billingCycle: plan.billingCycle,
        unitAmount: plan.unitAmount,
        currency: plan.currency,
        trialDays: plan.trialDays,
        features: this.catalog.features(plan.tier as Level),
      })),
    };
  }

  async creditPacks(requested: string | undefined, caller?: Principal): Promise<CreditPackDto[]> {
    const region = await this.resolveRegion(requested, caller);
    return this.catalog
      .creditPacks(region)
      .map(({ key, credits, bonusCredits, unitAmount, currency }) => ({
        key,
        credits,
        bonusCredits,
        unitAmount,
        currency,
      }));
  }

  /** The requested region if we sell there; else the caller's organization's; else US. */
  async resolveRegion(requested: string | undefined, caller?: Principal): Promise<Region> {
    const upper = requested?.toUpperCase();
    if (this.catalog.isRegion(upper)) return upper;
    if (caller?.kind === 'user') return (await this.tenants.primaryRegionOf(caller.userId)) ?? 'US';
    return 'US';
  }
}
