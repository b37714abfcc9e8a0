import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../../common/decorators/api-key.decorator.js';
import { Org, type OrgContext } from '../../common/decorators/org-context.decorator.js';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import {
  CacheInfoDto,
  EntitlementCheckDto,
  EntitlementCheckResultDto,
  FeaturesDto,
} from './dto/entitlement.dto.js';
import { EntitlementService } from './entitlement.service.js';

/** What the organization's plan allows: for members' screens and the product's backend. */
@ApiTags('entitlements')
@ApiBearerAuth()
@RequireScopes('entitlements:read')
@Controller('v1/organizations/:orgId')
export class EntitlementController {
  constructor(private readonly entitlements: EntitlementService) {}

  @Get('features')
  @ApiOkResponse({ type: FeaturesDto })
  @ApiProblems(401, 403, 404)
  features(@Org() org: OrgContext): Promise<FeaturesDto> {
    return this.entitlements.features(org.organizationId);
  }

  @Post('entitlements/check')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: EntitlementCheckResultDto })
  @ApiProblems(400, 401, 403, 404)
  check(
    @Org() org: OrgContext,
    @Body() body: EntitlementCheckDto,
  ): Promise<EntitlementCheckResultDto> {
    return this.entitlements.check(org.organizationId, body.feature, body.quantity ?? 1);
  }

  @Get('cache-info')
  @ApiOkResponse({ type: CacheInfoDto })
  @ApiProblems(401, 403, 404)
  cacheInfo(@Org() org: OrgContext): Promise<CacheInfoDto> {
    return this.entitlements.cacheInfo(org.organizationId);
  }
}
