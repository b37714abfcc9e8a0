import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  UseGuards,
} from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/decorators/public.decorator.js';
import {
  type AdminCaller,
  type AdminRequest,
  InternalApiKeyGuard,
} from './internal-api-key.guard.js';

/** An operators' controller: the internal key instead of a user's token. */
export const AdminApi = (): ClassDecorator =>
  applyDecorators(
    Public(),
    UseGuards(InternalApiKeyGuard),
    ApiTags('admin'),
    ApiSecurity('internal-api-key'),
  );

/** The operator's key fingerprint, set by InternalApiKeyGuard. */
export const Admin = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AdminCaller =>
    context.switchToHttp().getRequest<AdminRequest>().admin!,
);
