import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldError } from '../errors/index.js';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * A problem names at most this many fields: a body of 100,000 bad array items must not answer
 * with megabytes of errors.
 */
const MAX_LISTED_FIELDS = 20;

/** Whitelisting, unknown fields rejected, payloads transformed to DTO instances. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
      const fields = [...new Set(fieldErrors.map((e) => e.field))];
      const named = fields.slice(0, MAX_LISTED_FIELDS);
      const more = fields.length - named.length;
      const listed = new Set(named);
      return new DomainError(
        'VALIDATION_FAILED',
        `Invalid fields: ${named.join(', ')}${more ? ` and ${more} more` : ''}`,
        { errors: fieldErrors.filter((error) => listed.has(error.field)) },
      );
    },
  });
}
