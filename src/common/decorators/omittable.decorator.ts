import { ValidateIf } from 'class-validator';

/**
 * A request field that may be left out but never sent as `null`. class-validator's
 * `IsOptional` skips `null` too, which then reaches the service as a value the field's type does
 * not allow (a NOT NULL column answers 500). Fields where `null` means "clear it" use
 * `IsOptional` and say `nullable: true` in their OpenAPI property.
 */
export const IsOmittable = (): PropertyDecorator =>
  ValidateIf((_object, value) => value !== undefined);
