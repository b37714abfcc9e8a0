import type { ErrorCode } from './error-code.js';

export interface FieldError {
  field: string;
  message: string;
}

/** What some problems carry besides their detail. */
export interface DomainErrorExtras {
  errors?: FieldError[];
  retryAfterSeconds?: number;
  /** MFA_REQUIRED: the challenge that POST /v1/auth/mfa/verify completes. */
  mfaToken?: string;
}

/**
 * The one error type services throw. The global filter turns it into problem+json with the
 * status its code maps to; services never know about HTTP.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extras: DomainErrorExtras = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}
