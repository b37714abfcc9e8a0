import { Controller, Get, Inject, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthRateLimitGuard } from '../../../common/rate-limit/auth-rate-limit.guard.js';
import { Public } from '../../../common/decorators/public.decorator.js';
import { Client, type ClientInfo } from '../../../common/http/client-info.js';
import { ApiProblems } from '../../../common/http/api-problems.decorator.js';
import { appConfig } from '../../../config/app.config.js';
import { LoginResponseDto } from '../dto/auth-response.dto.js';
import { OAuthCallbackQueryDto } from '../dto/oauth-callback.dto.js';
import { OAUTH_PROVIDERS } from './oauth-provider.js';
import { OAuthService } from './oauth.service.js';

/** Binds a sign-in to the browser that started it: the callback must bring this cookie back. */
const STATE_COOKIE = 'oauth_state';

@ApiTags('auth')
@Public()
@UseGuards(AuthRateLimitGuard)
@Controller('v1/auth/oauth')
export class OAuthController {
  constructor(
    private readonly oauth: OAuthService,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  @Get(':provider')
  @ApiOperation({
    summary: "Redirect to the provider's consent page (404 when the provider is not configured)",
  })
  @ApiParam({ name: 'provider', enum: OAUTH_PROVIDERS })
  @ApiFoundResponse({ description: 'Location: the provider authorization URL' })
  @ApiProblems(404, 429)
  async start(@Param('provider') provider: string, @Res() reply: FastifyReply): Promise<void> {
    const { url, state } = await this.oauth.authorizationUrl(provider);
    // Lax: the provider's redirect back is a top-level GET from another site, which Lax allows.
    void reply.setCookie(STATE_COOKIE, state, {
      path: this.oauth.callbackPath(provider),
      httpOnly: true,
      sameSite: 'lax',
      secure: this.app.appUrl.startsWith('https:'),
      maxAge: 600,
    });
    await reply.redirect(url, 302);
  }

  @Get(':provider/callback')
  @ApiOperation({
    summary: 'Where the provider sends the user back: tokens for the linked or new user',
  })
  @ApiParam({ name: 'provider', enum: OAUTH_PROVIDERS })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiProblems(400, 401, 403, 404, 409, 429, 503)
  callback(
    @Param('provider') provider: string,
    @Query() query: OAuthCallbackQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Client() client: ClientInfo,
  ): Promise<LoginResponseDto> {
    void reply.clearCookie(STATE_COOKIE, { path: this.oauth.callbackPath(provider) });
    const browserState = request.cookies[STATE_COOKIE];
    return this.oauth.completeSignIn(provider, query.code, query.state, browserState, client);
  }
}
