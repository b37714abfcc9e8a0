import { Body, Controller, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { RequireScopes } from '../../common/decorators/api-key.decorator.js';
import { Org, type OrgContext } from '../../common/decorators/org-context.decorator.js';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { IdempotencyKey } from '../../common/http/idempotency-key.decorator.js';
import { CreditChargeService } from './credit-charge.service.js';
import {
  ChargeCreditsDto,
  ChargeResultDto,
  CreateReservationDto,
  FinalizeReservationDto,
  FinalizeResultDto,
  ReleaseResultDto,
  ReservationDto,
} from './dto/credits.dto.js';
import { ReservationService } from './reservation.service.js';

const idempotencyHeader = ApiHeader({
  name: 'Idempotency-Key',
  required: true,
  description: '1 to 255 printable characters; the same key again returns the first answer',
});

/** Spending credits: at once (charge) or held first and settled later (reservations). */
@ApiTags('credits')
@ApiBearerAuth()
@RequireScopes('credits:charge')
@Controller('v1/organizations/:orgId/credits')
export class CreditsController {
  constructor(
    private readonly charges: CreditChargeService,
    private readonly reservations: ReservationService,
  ) {}

  @Post('charge')
  @HttpCode(HttpStatus.OK)
  @idempotencyHeader
  @ApiOkResponse({ type: ChargeResultDto })
  @ApiProblems(400, 401, 402, 403, 404, 409)
  charge(
    @Org() org: OrgContext,
    @IdempotencyKey({ required: true }) key: string,
    @Body() body: ChargeCreditsDto,
  ): Promise<ChargeResultDto> {
    return this.charges.charge(org.organizationId, key, body);
  }

  @Post('reservations')
  @idempotencyHeader
  @ApiCreatedResponse({ type: ReservationDto })
  @ApiProblems(400, 401, 402, 403, 404, 409)
  reserve(
    @Org() org: OrgContext,
    @IdempotencyKey({ required: true }) key: string,
    @Body() body: CreateReservationDto,
  ): Promise<ReservationDto> {
    return this.reservations.create(org.organizationId, key, body);
  }

  @Post('reservations/:reservationId/finalize')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: FinalizeResultDto })
  @ApiProblems(400, 401, 403, 404, 409)
  finalize(
    @Org() org: OrgContext,
    @Param('reservationId', ParseUUIDPipe) reservationId: string,
    @Body() body: FinalizeReservationDto,
  ): Promise<FinalizeResultDto> {
    return this.reservations.finalize(org.organizationId, reservationId, body.amount);
  }

  @Post('reservations/:reservationId/release')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ReleaseResultDto })
  @ApiProblems(401, 403, 404, 409)
  release(
    @Org() org: OrgContext,
    @Param('reservationId', ParseUUIDPipe) reservationId: string,
  ): Promise<ReleaseResultDto> {
    return this.reservations.release(org.organizationId, reservationId);
  }
}
