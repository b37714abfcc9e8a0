import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../../common/decorators/api-key.decorator.js';
import { Org, type OrgContext } from '../../common/decorators/org-context.decorator.js';
import { OrgRole } from '../../common/decorators/org-role.decorator.js';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { WalletDto, WalletSettingsDto, WalletTransactionPageDto } from './dto/wallet.dto.js';
import { WalletService } from './wallet.service.js';

@ApiTags('wallet')
@ApiBearerAuth()
@Controller('v1/organizations/:orgId/wallet')
export class WalletController {
  constructor(private readonly wallets: WalletService) {}

  @Get()
  @RequireScopes('wallet:read')
  @ApiOkResponse({ type: WalletDto })
  @ApiProblems(401, 403, 404)
  wallet(@Org() org: OrgContext): Promise<WalletDto> {
    return this.wallets.view(org.organizationId);
  }

  @Get('transactions')
  @RequireScopes('wallet:read')
  @ApiOkResponse({ type: WalletTransactionPageDto })
  @ApiProblems(400, 401, 403, 404)
  transactions(
    @Org() org: OrgContext,
    @Query() query: PageQueryDto,
  ): Promise<WalletTransactionPageDto> {
    return this.wallets.ledger(org.organizationId, query);
  }

  @Put('settings')
  @OrgRole('billing')
  @ApiOkResponse({ type: WalletDto })
  @ApiProblems(400, 401, 403, 404)
  settings(@Org() org: OrgContext, @Body() body: WalletSettingsDto): Promise<WalletDto> {
    return this.wallets.setLowBalanceThreshold(org.organizationId, body.lowBalanceThreshold);
  }
}
