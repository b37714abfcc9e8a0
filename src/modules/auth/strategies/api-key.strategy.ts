import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import type { ApiKeyPrincipal } from '../../../common/auth/principal.js';
import { TenantService } from '../../tenant/tenant.service.js';
import { UnauthenticatedError } from '../auth.errors.js';

/** Authenticates `Authorization: Bearer ssk_…` as the organization that owns the key. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, 'api-key') {
  constructor(private readonly tenants: TenantService) {
    super();
  }

  async validate(token: string): Promise<ApiKeyPrincipal> {
    const principal = await this.tenants.authenticateApiKey(token);
    if (!principal) throw new UnauthenticatedError('The API key is unknown or revoked');
    return principal;
  }
}
