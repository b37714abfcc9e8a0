import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { UserPrincipal } from '../../../common/auth/principal.js';
import { authConfig } from '../../../config/auth.config.js';
import { ACCESS_TOKEN_USE, type AccessTokenClaims } from '../access-token.service.js';
import { UnauthenticatedError } from '../auth.errors.js';
import { AuthService } from '../auth.service.js';
import { JWT_ALGORITHM, JwtKeysService } from '../jwt-keys.service.js';
import { SessionService } from '../session.service.js';

/**
 * Verifies bearer access tokens. The algorithm and key are pinned: `alg`, `kid`, `jku` and `jwk`
 * in the token header are never trusted, so `alg: none` and HS256 tokens signed with the
 * published public key fail, as do wrong issuers, audiences and expired tokens.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(authConfig.KEY) config: ConfigType<typeof authConfig>,
    keys: JwtKeysService,
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: (
        _request: unknown,
        _token: unknown,
        done: (error: unknown, key?: string) => void,
      ) => {
        keys.load().then(
          (loaded) => done(null, loaded.publicKeyPem),
          (error: unknown) => done(error),
        );
      },
      algorithms: [JWT_ALGORITHM],
      issuer: config.issuer,
      audience: config.audience,
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<UserPrincipal> {
    if (claims.token_use !== ACCESS_TOKEN_USE || !claims.sub || !claims.jti || !claims.sid) {
      throw new UnauthenticatedError('This is not an access token');
    }
    const account = await this.auth.assertActive(claims.sub);
    if (!(await this.sessions.isLive(claims.sid, claims.sub))) {
      throw new UnauthenticatedError('This session has ended');
    }
    return {
      kind: 'user',
      userId: account.profile.id,
      role: account.profile.role,
      tokenId: claims.jti,
      sessionId: claims.sid,
    };
  }
}
