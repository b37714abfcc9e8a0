import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { OrgRole } from '../../common/decorators/org-role.decorator.js';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { SubscriptionResponseDto } from './dto/subscription-response.dto.js';
import { SubscriptionService } from './subscription.service.js';

@ApiTags('billing')
@ApiBearerAuth()
@Controller('v1/organizations/:orgId/subscriptions')
export class SubscriptionController {
  constructor(private readonly subscriptions: SubscriptionService) {}

  @Get()
  @OrgRole('member')
  @ApiOkResponse({ type: [SubscriptionResponseDto] })
  @ApiProblems(401, 404)
  list(@Param('orgId', ParseUUIDPipe) orgId: string): Promise<SubscriptionResponseDto[]> {
    return this.subscriptions.list(orgId);
  }
}
