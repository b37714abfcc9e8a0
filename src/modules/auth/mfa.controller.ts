import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { UserPrincipal } from '../../common/auth/principal.js';
import { CurrentUser } from '../../common/decorators/current-user.decorator.js';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { MfaCodeDto, MfaSetupResponseDto, RecoveryCodesResponseDto } from './dto/mfa.dto.js';
import { MfaService } from './mfa.service.js';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('v1/auth/mfa')
export class MfaController {
  constructor(private readonly mfa: MfaService) {}

  @Post('setup')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Start TOTP enrolment: a secret and an otpauth:// URL for the authenticator app',
  })
  @ApiOkResponse({ type: MfaSetupResponseDto })
  @ApiProblems(401, 409)
  setup(@CurrentUser() user: UserPrincipal): Promise<MfaSetupResponseDto> {
    return this.mfa.setup(user.userId);
  }

  @Post('enable')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Confirm enrolment with a code; returns ten recovery codes, shown once',
  })
  @ApiOkResponse({ type: RecoveryCodesResponseDto })
  @ApiProblems(400, 401, 409)
  enable(
    @CurrentUser() user: UserPrincipal,
    @Body() body: MfaCodeDto,
  ): Promise<RecoveryCodesResponseDto> {
    return this.mfa.enable(user.userId, body.code);
  }

  @Post('disable')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Turn two-factor authentication off with a code or a recovery code' })
  @ApiNoContentResponse()
  @ApiProblems(400, 401)
  disable(@CurrentUser() user: UserPrincipal, @Body() body: MfaCodeDto): Promise<void> {
    return this.mfa.disable(user.userId, body.code);
  }
}
