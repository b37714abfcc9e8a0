import {
  Body,
  Controller,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
} from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { CheckoutExpiryService } from '../billing/checkout-expiry.service.js';
import { UserAdminService } from '../user/user-admin.service.js';
import type { UserResponseDto } from '../user/dto/user-response.dto.js';
import { WalletService } from '../wallet/wallet.service.js';
import { adminAudit } from './admin-audit.js';
import { Admin, AdminApi } from './admin-api.decorator.js';
import {
  AdminRoleDto,
  IntentCleanupDto,
  IntentCleanupResultDto,
  WalletAdjustmentDto,
  WalletAdjustmentResultDto,
} from './dto/admin-operations.dto.js';
import type { AdminCaller } from './internal-api-key.guard.js';

/** Operators' corrections: each one audited in the transaction of its change. */
@AdminApi()
@Controller('v1/admin')
export class AdminMaintenanceController {
  constructor(
    private readonly checkouts: CheckoutExpiryService,
    private readonly wallets: WalletService,
    private readonly users: UserAdminService,
  ) {}

  @Post('intents/cleanup')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: IntentCleanupResultDto })
  @ApiProblems(400, 401, 503)
  cleanupIntents(
    @Body() body: IntentCleanupDto,
    @Admin() admin: AdminCaller,
  ): Promise<IntentCleanupResultDto> {
    return this.checkouts.expireAbandoned(
      adminAudit(admin, 'POST /v1/admin/intents/cleanup', body),
    );
  }

  @Post('organizations/:orgId/wallet/adjust')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: WalletAdjustmentResultDto })
  @ApiProblems(400, 401, 402, 503)
  adjustWallet(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Body() body: WalletAdjustmentDto,
    @Admin() admin: AdminCaller,
  ): Promise<WalletAdjustmentResultDto> {
    const audit = adminAudit(admin, 'POST /v1/admin/organizations/:orgId/wallet/adjust', body);
    return this.wallets.adjust(orgId, body.amount, audit);
  }

  /** How the first platform admin is made. */
  @Put('users/:userId/role')
  @ApiOkResponse({ description: 'The user, with the new role' })
  @ApiProblems(400, 401, 404, 503)
  setRole(
    @Param('userId', ParseUUIDPipe) userId: string,
    @Body() body: AdminRoleDto,
    @Admin() admin: AdminCaller,
  ): Promise<UserResponseDto> {
    const { metadata } = adminAudit(admin, 'PUT /v1/admin/users/:userId/role', body);
    const actor = { type: 'ADMIN' as const, id: admin.fingerprint };
    return this.users.changeRole(actor, userId, body.role, metadata);
  }
}
