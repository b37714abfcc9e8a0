import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import type { SubscriptionResponseDto } from '../subscription/dto/subscription-response.dto.js';
import { PurchaseService } from '../billing/purchase.service.js';
import { SubscriptionService } from '../subscription/subscription.service.js';
import { TenantService } from '../tenant/tenant.service.js';
import { adminAudit } from './admin-audit.js';
import { Admin, AdminApi } from './admin-api.decorator.js';
import { AdminService } from './admin.service.js';
import {
  AdminDisputePageDto,
  AdminDisputeQueryDto,
  AdminOrganizationPageDto,
  AdminOrganizationQueryDto,
  AdminStatsDto,
  AdminSubscriptionPageDto,
  AdminSubscriptionQueryDto,
  AdminSubscriptionDto,
  GracePeriodDto,
  CreateOperatorSubscriptionDto,
  OrganizationSyncDto,
} from './dto/admin-overview.dto.js';
import { OperatorReasonDto } from './dto/admin-operations.dto.js';
import type { AdminCaller } from './internal-api-key.guard.js';

/** What operators look at (statistics, organizations, subscriptions) and fix in them. */
@AdminApi()
@Controller('v1/admin')
export class AdminOverviewController {
  constructor(
    private readonly admin: AdminService,
    private readonly tenants: TenantService,
    private readonly subscriptions: SubscriptionService,
    private readonly purchases: PurchaseService,
  ) {}

  @Get('stats')
  @ApiOkResponse({ type: AdminStatsDto })
  @ApiProblems(401, 503)
  stats(): Promise<AdminStatsDto> {
    return this.admin.stats();
  }

  @Get('organizations')
  @ApiOkResponse({ type: AdminOrganizationPageDto })
  @ApiProblems(400, 401, 503)
  organizations(@Query() query: AdminOrganizationQueryDto): Promise<AdminOrganizationPageDto> {
    return this.tenants.searchOrganizations(query.search, query);
  }

  @Get('subscriptions')
  @ApiOkResponse({ type: AdminSubscriptionPageDto })
  @ApiProblems(400, 401, 503)
  subscriptionList(@Query() query: AdminSubscriptionQueryDto): Promise<AdminSubscriptionPageDto> {
    const { status, tier, flagged } = query;
    return this.subscriptions.listAll({ status, tier, flagged }, query);
  }

  /** Disputed credit purchases: `?status=open` for those the bank has not decided yet. */
  @Get('disputes')
  @ApiOkResponse({ type: AdminDisputePageDto })
  @ApiProblems(400, 401, 503)
  disputes(@Query() query: AdminDisputeQueryDto): Promise<AdminDisputePageDto> {
    return this.purchases.disputed(query.status, query);
  }

  /** An operator grants a grace period by hand, or ends one (null), with reason and ticket. */
  @Put('subscriptions/:id/grace-period')
  @ApiOkResponse({ type: AdminSubscriptionDto })
  @ApiProblems(400, 401, 404, 503)
  setGracePeriod(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: GracePeriodDto,
    @Admin() admin: AdminCaller,
  ): Promise<AdminSubscriptionDto> {
    return this.subscriptions.setGracePeriod(
      id,
      body.gracePeriodEnd === null ? null : new Date(body.gracePeriodEnd),
      adminAudit(admin, 'PUT /v1/admin/subscriptions/:id/grace-period', body),
    );
  }

  /** Maintenance mode only (ADMIN_MAINTENANCE_MODE=true), with a reason and a ticket. */
  @Post('subscriptions')
  @ApiCreatedResponse({ description: 'The subscription written' })
  @ApiProblems(400, 401, 403, 404, 503)
  createSubscription(
    @Body() body: CreateOperatorSubscriptionDto,
    @Admin() admin: AdminCaller,
  ): Promise<SubscriptionResponseDto> {
    const { organizationId, productKey, tier, billingCycle } = body;
    return this.admin.createSubscription(
      { organizationId, productKey, tier, billingCycle },
      adminAudit(admin, 'POST /v1/admin/subscriptions', body),
    );
  }

  /** Re-reads the organization's subscriptions from Stripe and corrects ours. */
  @Post('organizations/:orgId/sync')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: OrganizationSyncDto })
  @ApiProblems(400, 401, 503)
  sync(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Body() body: OperatorReasonDto,
    @Admin() admin: AdminCaller,
  ): Promise<OrganizationSyncDto> {
    return this.admin.syncOrganization(
      orgId,
      adminAudit(admin, 'POST /v1/admin/organizations/:orgId/sync', body),
    );
  }
}
