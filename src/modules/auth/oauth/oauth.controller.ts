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
    const cookie = this.stateCookie(provider);
    // Lax: the provider's redirect back is a top-level GET from another site, which Lax allows.
    void reply.setCookie(cookie.name, state, {
      path: cookie.path,
      httpOnly: true,
      sameSite: 'lax',
      secure: cookie.secure,
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
    const cookie = this.stateCookie(provider);
    void reply.clearCookie(cookie.name, { path: cookie.path, secure: cookie.secure });
    const browserState = request.cookies[cookie.name];
    return this.oauth.completeSignIn(provider, query.code, query.state, browserState, client);
  }

  /**
   * Over https the cookie is `__Host-` prefixed (Secure, Path=/, no Domain), which a sibling
   * subdomain cannot set, so nobody can plant their own state in the victim's browser. Plain
   * http (local development) cannot carry the prefix; the cookie is then kept to the callback.
   */
  private stateCookie(provider: string): { name: string; path: string; secure: boolean } {
    return this.app.appUrl.startsWith('https:')
      ? { name: `__Host-${STATE_COOKIE}`, path: '/', secure: true }
      : { name: STATE_COOKIE, path: this.oauth.callbackPath(provider), secure: false };
  }
}
