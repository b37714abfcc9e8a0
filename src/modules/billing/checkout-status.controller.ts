import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserPrincipal } from '../../common/auth/principal.js';
import { CurrentUser } from '../../common/decorators/current-user.decorator.js';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { ParseStripeIdPipe } from '../../common/pipes/stripe-id.pipe.js';
import { CheckoutStatusService } from './checkout-status.service.js';
import { CheckoutStatusDto } from './dto/checkout-status.dto.js';

@ApiTags('billing')
@ApiBearerAuth()
@Controller('v1/checkout/sessions')
export class CheckoutStatusController {
  constructor(private readonly status: CheckoutStatusService) {}

  @Get(':sessionId')
  @ApiOperation({ summary: "A checkout's outcome for the success page; reads only, never grants" })
  @ApiOkResponse({ type: CheckoutStatusDto })
  @ApiProblems(400, 401, 404)
  get(
    @CurrentUser() user: UserPrincipal,
    @Param('sessionId', new ParseStripeIdPipe('cs')) sessionId: string,
  ): Promise<CheckoutStatusDto> {
    return this.status.get(user.userId, sessionId);
  }
}
