import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../common/auth/principal.js';
import { PublicWithOptionalUser } from '../../common/decorators/public.decorator.js';
import { BillingCatalogService } from './billing-catalog.service.js';
import { CreditPackDto, PlansResponseDto, RegionQueryDto } from './dto/catalog.dto.js';

type MaybeAuthenticated = FastifyRequest & { user?: Principal };

@ApiTags('billing')
@PublicWithOptionalUser()
@Controller('v1/billing')
export class BillingCatalogController {
  constructor(private readonly catalog: BillingCatalogService) {}

  @Get('plans')
  @ApiOperation({
    summary: 'Tiers for sale with their prices in one region and their features (public)',
  })
  @ApiOkResponse({ type: PlansResponseDto })
  plans(
    @Query() query: RegionQueryDto,
    @Req() request: MaybeAuthenticated,
  ): Promise<PlansResponseDto> {
    return this.catalog.plans(query.region, request.user);
  }

  @Get('credit-packs')
  @ApiOperation({ summary: 'Credit packs with their prices in one region (public)' })
  @ApiOkResponse({ type: [CreditPackDto] })
  creditPacks(
    @Query() query: RegionQueryDto,
    @Req() request: MaybeAuthenticated,
  ): Promise<CreditPackDto[]> {
    return this.catalog.creditPacks(query.region, request.user);
  }
}
