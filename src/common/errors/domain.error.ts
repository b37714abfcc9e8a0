import type { ErrorCode } from './error-code.js';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * The one error type services throw. The global filter turns it into problem+json with the
 * status its code maps to; services never know about HTTP.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extras: { errors?: FieldError[]; retryAfterSeconds?: number } = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}
