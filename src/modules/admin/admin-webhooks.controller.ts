import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { StripeWebhookService } from '../webhook/stripe-webhook.service.js';
import { adminAudit } from './admin-audit.js';
import { Admin, AdminApi } from './admin-api.decorator.js';
import {
  ListWebhookEventsQueryDto,
  RetryWebhookDto,
  RetryWebhookResponseDto,
  WebhookEventPageDto,
} from './dto/admin-webhooks.dto.js';
import type { AdminCaller } from './internal-api-key.guard.js';

@AdminApi()
@Controller('v1/admin')
export class AdminWebhooksController {
  constructor(private readonly webhooks: StripeWebhookService) {}

  /** The Stripe event inbox: e.g. `?type=charge.dispute.created` for disputes, `?status=failed`. */
  @Get('webhook-events')
  @ApiOkResponse({ type: WebhookEventPageDto })
  @ApiProblems(400, 401, 503)
  list(@Query() query: ListWebhookEventsQueryDto): Promise<WebhookEventPageDto> {
    return this.webhooks.list({ status: query.status, type: query.type }, query);
  }

  /** Re-runs a stored Stripe event now (one that failed, or never finished). */
  @Post('webhooks/retry')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: RetryWebhookResponseDto })
  @ApiProblems(400, 401, 404, 503)
  retry(
    @Body() body: RetryWebhookDto,
    @Admin() admin: AdminCaller,
  ): Promise<RetryWebhookResponseDto> {
    return this.webhooks.retry(
      body.eventId,
      adminAudit(admin, 'POST /v1/admin/webhooks/retry', body),
    );
  }
}
