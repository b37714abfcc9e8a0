import type { ErrorCode } from './error-code.js';

/** Exhaustive on purpose: a new code without a status does not compile. */
export function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'INVALID_JSON':
    case 'WEAK_PASSWORD':
    case 'INVALID_TOKEN':
    case 'INVALID_SIGNATURE':
    case 'INVALID_MFA_CODE':
    case 'BAD_REQUEST':
      return 400;
    case 'UNAUTHENTICATED':
    case 'INVALID_CREDENTIALS':
    case 'MFA_REQUIRED':
    case 'REFRESH_TOKEN_REUSED':
      return 401;
    case 'INSUFFICIENT_CREDITS':
    case 'PAYMENT_FAILED':
      return 402;
    case 'FORBIDDEN':
    case 'ACCOUNT_SUSPENDED':
    case 'MAINTENANCE_MODE_REQUIRED':
    case 'FEATURE_NOT_ENTITLED':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'METHOD_NOT_ALLOWED':
      return 405;
    case 'EMAIL_TAKEN':
    case 'USERNAME_TAKEN':
    case 'ALREADY_SUBSCRIBED':
    case 'VERSION_CONFLICT':
    case 'IDEMPOTENCY_KEY_REUSED':
    case 'LAST_OWNER':
    case 'RESERVATION_CLOSED':
    case 'LIVE_SUBSCRIPTION':
    case 'CONFLICT':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'RATE_LIMITED':
    case 'QUOTA_EXCEEDED':
      return 429;
    case 'INTERNAL':
      return 500;
    case 'STRIPE_NOT_CONFIGURED':
    case 'ADMIN_API_NOT_CONFIGURED':
    case 'DEPENDENCY_UNAVAILABLE':
      return 503;
  }
}

/** The code a bare HTTP status stands for, when something other than a DomainError was thrown. */
export function codeOfStatus(status: number): ErrorCode {
  const byStatus: Record<number, ErrorCode> = {
    400: 'BAD_REQUEST',
    401: 'UNAUTHENTICATED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    405: 'METHOD_NOT_ALLOWED',
    409: 'CONFLICT',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    429: 'RATE_LIMITED',
    503: 'DEPENDENCY_UNAVAILABLE',
  };
  return byStatus[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
}
