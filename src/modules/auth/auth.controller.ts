import { Body, Controller, Get, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { UserPrincipal } from '../../common/auth/principal.js';
import { CurrentUser } from '../../common/decorators/current-user.decorator.js';
import { AuthRateLimitGuard } from '../../common/rate-limit/auth-rate-limit.guard.js';
import { Public } from '../../common/decorators/public.decorator.js';
import { Client, type ClientInfo } from '../../common/http/client-info.js';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { AuthService } from './auth.service.js';
import { LoginService } from './login.service.js';
import {
  LoginResponseDto,
  MeResponseDto,
  RefreshResponseDto,
  RegisterResponseDto,
} from './dto/auth-response.dto.js';
import { LoginDto } from './dto/login.dto.js';
import { RefreshTokenDto } from './dto/refresh-token.dto.js';
import { RegisterDto } from './dto/register.dto.js';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly logins: LoginService,
  ) {}

  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('register')
  @ApiOperation({ summary: 'Create an account, its personal organization and a first session' })
  @ApiResponse({ status: 201, type: RegisterResponseDto })
  @ApiProblems(400, 409, 429)
  register(@Body() body: RegisterDto, @Client() client: ClientInfo): Promise<RegisterResponseDto> {
    return this.auth.register(body, client);
  }

  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange email and password for tokens' })
  @ApiResponse({ status: 200, type: LoginResponseDto })
  @ApiProblems(400, 401, 403, 429)
  login(@Body() body: LoginDto, @Client() client: ClientInfo): Promise<LoginResponseDto> {
    return this.logins.login(body, client);
  }

  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Rotate a refresh token; a rotated token presented again revokes its family',
  })
  @ApiResponse({ status: 200, type: RefreshResponseDto })
  @ApiProblems(400, 401, 403)
  refresh(
    @Body() body: RefreshTokenDto,
    @Client() client: ClientInfo,
  ): Promise<RefreshResponseDto> {
    return this.auth.refresh(body.refreshToken, client);
  }

  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke one refresh token' })
  @ApiResponse({ status: 204 })
  @ApiProblems(400)
  logout(@Body() body: RefreshTokenDto): Promise<void> {
    return this.auth.logout(body.refreshToken);
  }

  @Post('logout-all')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: "Revoke every refresh token of the caller's account" })
  @ApiResponse({ status: 204 })
  @ApiProblems(401)
  logoutAll(@CurrentUser() user: UserPrincipal): Promise<void> {
    return this.auth.logoutAll(user.userId);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The caller and the organizations they belong to' })
  @ApiResponse({ status: 200, type: MeResponseDto })
  @ApiProblems(401, 403)
  me(@CurrentUser() user: UserPrincipal): Promise<MeResponseDto> {
    return this.auth.me(user.userId);
  }
}
