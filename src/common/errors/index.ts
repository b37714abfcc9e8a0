export type { ErrorCode } from './error-code.js';
export { DomainError, type DomainErrorExtras, type FieldError } from './domain.error.js';
export { statusOf, codeOfStatus } from './error-status.js';
