import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthRateLimitGuard } from '../../common/rate-limit/auth-rate-limit.guard.js';
import { Public } from '../../common/decorators/public.decorator.js';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import {
  EmailDto,
  ResetPasswordDto,
  TokenDto,
  VerifiedUserResponseDto,
} from './dto/account-recovery.dto.js';
import { EmailVerificationService } from './email-verification.service.js';
import { PasswordResetService } from './password-reset.service.js';

/** Email verification and password reset: the flows that start from a mailed link. */
@ApiTags('auth')
@Public()
@UseGuards(AuthRateLimitGuard)
@Controller('v1/auth')
export class AccountRecoveryController {
  constructor(
    private readonly verification: EmailVerificationService,
    private readonly passwordReset: PasswordResetService,
  ) {}

  @Post('verify-email')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Verify an email address with the token from the mailed link (single use, 24 h)',
  })
  @ApiOkResponse({ type: VerifiedUserResponseDto })
  @ApiProblems(400, 429)
  verifyEmail(@Body() body: TokenDto): Promise<VerifiedUserResponseDto> {
    return this.verification.verify(body.token);
  }

  @Post('resend-verification')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Mail a new verification link; 202 whether or not the account exists' })
  @ApiAcceptedResponse()
  @ApiProblems(400, 429)
  resendVerification(@Body() body: EmailDto): void {
    this.verification.resend(body.email);
  }

  @Post('forgot-password')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Mail a password reset link; 202 whether or not the account exists' })
  @ApiAcceptedResponse()
  @ApiProblems(400, 429)
  forgotPassword(@Body() body: EmailDto): void {
    this.passwordReset.requestReset(body.email);
  }

  @Post('reset-password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Set a new password with a reset token (single use, 1 h); signs every session out',
  })
  @ApiNoContentResponse()
  @ApiProblems(400, 429)
  resetPassword(@Body() body: ResetPasswordDto): Promise<void> {
    return this.passwordReset.reset(body.token, body.password);
  }
}
