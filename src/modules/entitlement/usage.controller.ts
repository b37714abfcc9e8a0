import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../../common/decorators/api-key.decorator.js';
import { Org, type OrgContext } from '../../common/decorators/org-context.decorator.js';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { DailyUsageDto, RecordUsageDto, UsageQueryDto, UsageRecordedDto } from './dto/usage.dto.js';
import { UsageService } from './usage.service.js';

@ApiTags('usage')
@ApiBearerAuth()
@Controller('v1/organizations/:orgId/usage')
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireScopes('usage:write')
  @ApiAcceptedResponse({ type: UsageRecordedDto })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  record(@Org() org: OrgContext, @Body() body: RecordUsageDto): Promise<UsageRecordedDto> {
    return this.usage.record(org.organizationId, body);
  }

  @Get()
  @RequireScopes('entitlements:read')
  @ApiOkResponse({ type: [DailyUsageDto] })
  @ApiProblems(400, 401, 403, 404)
  totals(@Org() org: OrgContext, @Query() query: UsageQueryDto): Promise<DailyUsageDto[]> {
    return this.usage.dailyTotals(org.organizationId, query);
  }
}
