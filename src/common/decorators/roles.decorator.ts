import { SetMetadata } from '@nestjs/common';
import type { PlatformRole } from '../auth/principal.js';

export const REQUIRED_ROLES = 'auth:roles';

/** Restricts a route to callers with one of the given platform roles (checked by RolesGuard). */
export const Roles = (...roles: PlatformRole[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_ROLES, roles);
