import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { RequestWithOrg } from '../../common/decorators/org-context.decorator.js';
import { EntitlementService } from './entitlement.service.js';

const REQUIRED_FEATURE = 'entitlement:feature';

/**
 * Runs after the global guards have resolved the organization (`:orgId`): 403
 * FEATURE_NOT_ENTITLED, naming the feature, when the organization's level lacks it.
 */
@Injectable()
export class RequireFeatureGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly entitlements: EntitlementService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const feature = this.reflector.getAllAndOverride<string | undefined>(REQUIRED_FEATURE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const org = context.switchToHttp().getRequest<RequestWithOrg>().org;
    if (!feature) return true;
    if (!org) throw new Error('@RequireFeature() used on a route without :orgId');
    await this.entitlements.requireEnabled(org.organizationId, feature);
    return true;
  }
}

/** Only organizations whose level includes `feature` may call the route. */
export const RequireFeature = (feature: string): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(REQUIRED_FEATURE, feature), UseGuards(RequireFeatureGuard));
