import { Controller, Get, Module } from '@nestjs/common';
import { Org, type OrgContext } from '../../src/common/decorators/org-context.decorator.js';
import { EntitlementModule } from '../../src/modules/entitlement/entitlement.module.js';
import { RequireFeature } from '../../src/modules/entitlement/require-feature.guard.js';

/** A route behind @RequireFeature('sso'), mounted beside the real AppModule to test the guard. */
@Controller('v1/organizations/:orgId/sso-probe')
class FeatureProbeController {
  @Get()
  @RequireFeature('sso')
  probe(@Org() org: OrgContext): OrgContext {
    return org;
  }
}

@Module({ imports: [EntitlementModule], controllers: [FeatureProbeController] })
export class FeatureProbeModule {}
