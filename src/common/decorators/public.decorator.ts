import { applyDecorators, SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'auth:isPublic';

/** Opts a route out of the global bearer-token guard. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

export const OPTIONAL_USER = 'auth:optionalUser';

/**
 * A public route that still recognises a caller who sends a valid token (to tailor the answer);
 * a missing or bad token is ignored, never an error.
 */
export const PublicWithOptionalUser = (): MethodDecorator & ClassDecorator =>
  applyDecorators(Public(), SetMetadata(OPTIONAL_USER, true));
