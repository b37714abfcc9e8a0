import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserPrincipal } from '../../common/auth/principal.js';
import { CurrentUser } from '../../common/decorators/current-user.decorator.js';
import { OrgRole } from '../../common/decorators/org-role.decorator.js';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { CancelSubscriptionDto } from './dto/cancel-subscription.dto.js';
import { ChangeSubscriptionDto } from './dto/change-subscription.dto.js';
import { SubscriptionResponseDto } from './dto/subscription-response.dto.js';
import { SubscriptionChangeService } from './subscription-change.service.js';
import { SubscriptionManagementService } from './subscription-management.service.js';
import { SubscriptionService } from './subscription.service.js';

@ApiTags('billing')
@ApiBearerAuth()
@Controller('v1/organizations/:orgId/subscriptions')
export class SubscriptionController {
  constructor(
    private readonly subscriptions: SubscriptionService,
    private readonly management: SubscriptionManagementService,
    private readonly changes: SubscriptionChangeService,
  ) {}

  @Get()
  @OrgRole('member')
  @ApiOkResponse({ type: [SubscriptionResponseDto] })
  @ApiProblems(401, 404)
  list(@Param('orgId', ParseUUIDPipe) orgId: string): Promise<SubscriptionResponseDto[]> {
    return this.subscriptions.list(orgId);
  }

  @Post(':id/cancel')
  @OrgRole('billing')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Cancel now, or at the end of the period' })
  @ApiOkResponse({ type: SubscriptionResponseDto })
  @ApiProblems(400, 401, 403, 404, 409, 503)
  cancel(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CancelSubscriptionDto,
  ): Promise<SubscriptionResponseDto> {
    return this.management.cancel(user.userId, orgId, id, body.atPeriodEnd);
  }

  @Post(':id/change')
  @OrgRole('billing')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Change plan: upgrades apply at once with proration, downgrades at the period end',
  })
  @ApiOkResponse({ type: SubscriptionResponseDto })
  @ApiProblems(400, 401, 403, 404, 409, 503)
  change(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ChangeSubscriptionDto,
  ): Promise<SubscriptionResponseDto> {
    return this.changes.change(user.userId, orgId, id, body.tier, body.billingCycle);
  }

  @Post(':id/resume')
  @OrgRole('billing')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Undo a cancellation at the period end' })
  @ApiOkResponse({ type: SubscriptionResponseDto })
  @ApiProblems(401, 403, 404, 409, 503)
  resume(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<SubscriptionResponseDto> {
    return this.management.resume(user.userId, orgId, id);
  }
}
