import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { UserPrincipal } from '../../common/auth/principal.js';
import { CurrentUser } from '../../common/decorators/current-user.decorator.js';
import { Public } from '../../common/decorators/public.decorator.js';
import { Client, type ClientInfo } from '../../common/http/client-info.js';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { AuthRateLimitGuard } from '../../common/rate-limit/auth-rate-limit.guard.js';
import { LoginResponseDto } from './dto/auth-response.dto.js';
import {
  MfaCodeDto,
  MfaSetupResponseDto,
  MfaVerifyDto,
  RecoveryCodesResponseDto,
} from './dto/mfa.dto.js';
import { MfaChallengeService } from './mfa-challenge.service.js';
import { MfaService } from './mfa.service.js';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('v1/auth/mfa')
export class MfaController {
  constructor(
    private readonly mfa: MfaService,
    private readonly challenges: MfaChallengeService,
  ) {}

  @Post('verify')
  @Public()
  @UseGuards(AuthRateLimitGuard)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Finish a sign-in that answered MFA_REQUIRED: its mfaToken and a code → tokens',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiProblems(400, 401, 403, 429)
  verify(@Body() body: MfaVerifyDto, @Client() client: ClientInfo): Promise<LoginResponseDto> {
    return this.challenges.complete(body.mfaToken, body.code, client);
  }

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
