import { SetMetadata } from '@nestjs/common';
import type { ApiKeyScope } from '../auth/principal.js';

export const REQUIRED_SCOPES = 'auth:apiKeyScopes';

/**
 * Lets organization API keys call the route when they carry every listed scope. Routes without
 * it refuse keys (403): keys reach only the routes made for them (wallet, charges, usage,
 * entitlements).
 */
export const RequireScopes = (...scopes: ApiKeyScope[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_SCOPES, scopes);
