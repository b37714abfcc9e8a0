import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { UserPrincipal } from '../../common/auth/principal.js';
import { CurrentUser } from '../../common/decorators/current-user.decorator.js';
import { OrgRole } from '../../common/decorators/org-role.decorator.js';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { IdempotencyKey } from '../../common/http/idempotency-key.decorator.js';
import { CheckoutService } from './checkout.service.js';
import {
  CheckoutResponseDto,
  CreditsCheckoutDto,
  SubscriptionCheckoutDto,
} from './dto/checkout.dto.js';

@ApiTags('billing')
@ApiBearerAuth()
@OrgRole('billing')
@ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description: 'The same key returns the same session',
})
@Controller('v1/organizations/:orgId/checkout')
export class CheckoutController {
  constructor(private readonly checkout: CheckoutService) {}

  @Post('subscription')
  @ApiOperation({
    summary: 'Start a Stripe Checkout for a plan (409 ALREADY_SUBSCRIBED with a live subscription)',
  })
  @ApiCreatedResponse({ type: CheckoutResponseDto })
  @ApiProblems(400, 401, 403, 404, 409, 503)
  subscription(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Body() body: SubscriptionCheckoutDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<CheckoutResponseDto> {
    return this.checkout.subscribe(user.userId, orgId, body, idempotencyKey);
  }

  @Post('credits')
  @ApiOperation({ summary: 'Start a Stripe Checkout for a credit pack' })
  @ApiCreatedResponse({ type: CheckoutResponseDto })
  @ApiProblems(400, 401, 403, 404, 409, 503)
  credits(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Body() body: CreditsCheckoutDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<CheckoutResponseDto> {
    return this.checkout.buyCredits(user.userId, orgId, body, idempotencyKey);
  }
}
