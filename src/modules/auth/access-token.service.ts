import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { SignJWT } from 'jose';
import { authConfig } from '../../config/auth.config.js';
import { JWT_ALGORITHM, JwtKeysService } from './jwt-keys.service.js';

/** Marks an access token (RFC 9068 `typ`, and a claim the strategy checks). */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
export const ACCESS_TOKEN_USE = 'access';

export interface AccessTokenClaims {
  sub: string;
  jti: string;
  token_use: typeof ACCESS_TOKEN_USE;
  /** The session (refresh token family) the token belongs to. */
  sid: string;
  iss: string;
  aud: string;
  iat: number;
  exp: number;
}

@Injectable()
export class AccessTokenService {
  constructor(
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    private readonly keys: JwtKeysService,
  ) {}

  get ttlSeconds(): number {
    return this.config.accessTtlSeconds;
  }

  sign(userId: string, sessionId: string): Promise<string> {
    const { privateKey, kid } = this.keys.keys;
    return new SignJWT({ token_use: ACCESS_TOKEN_USE, sid: sessionId })
      .setProtectedHeader({ alg: JWT_ALGORITHM, typ: ACCESS_TOKEN_TYPE, kid })
      .setSubject(userId)
      .setIssuer(this.config.issuer)
      .setAudience(this.config.audience)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${this.config.accessTtlSeconds}s`)
      .sign(privateKey);
  }
}
