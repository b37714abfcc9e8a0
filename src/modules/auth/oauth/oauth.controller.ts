import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthRateLimitGuard } from '../../../common/rate-limit/auth-rate-limit.guard.js';
import { Public } from '../../../common/decorators/public.decorator.js';
import { Client, type ClientInfo } from '../../../common/http/client-info.js';
import { ApiProblems } from '../../../common/http/api-problems.decorator.js';
import { LoginResponseDto } from '../dto/auth-response.dto.js';
import { OAuthCallbackQueryDto } from '../dto/oauth-callback.dto.js';
import { OAUTH_PROVIDERS } from './oauth-provider.js';
import { OAuthService } from './oauth.service.js';

@ApiTags('auth')
@Public()
@UseGuards(AuthRateLimitGuard)
@Controller('v1/auth/oauth')
export class OAuthController {
  constructor(private readonly oauth: OAuthService) {}

  @Get(':provider')
  @ApiOperation({
    summary: "Redirect to the provider's consent page (404 when the provider is not configured)",
  })
  @ApiParam({ name: 'provider', enum: OAUTH_PROVIDERS })
  @ApiFoundResponse({ description: 'Location: the provider authorization URL' })
  @ApiProblems(404, 429)
  async start(@Param('provider') provider: string, @Res() reply: FastifyReply): Promise<void> {
    await reply.redirect(await this.oauth.authorizationUrl(provider), 302);
  }

  @Get(':provider/callback')
  @ApiOperation({
    summary: 'Where the provider sends the user back: tokens for the linked or new user',
  })
  @ApiParam({ name: 'provider', enum: OAUTH_PROVIDERS })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiProblems(400, 403, 404, 409, 429, 503)
  callback(
    @Param('provider') provider: string,
    @Query() query: OAuthCallbackQueryDto,
    @Client() client: ClientInfo,
  ): Promise<LoginResponseDto> {
    return this.oauth.completeSignIn(provider, query.code, query.state, client);
  }
}
