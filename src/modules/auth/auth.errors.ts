import { DomainError } from '../../common/errors/index.js';

export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('INVALID_CREDENTIALS', 'The email or password is wrong');
  }
}

export class AccountSuspendedError extends DomainError {
  constructor() {
    super('ACCOUNT_SUSPENDED', 'This account is suspended');
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(detail = 'A valid access token is required') {
    super('UNAUTHENTICATED', detail);
  }
}

export class RefreshTokenReusedError extends DomainError {
  constructor() {
    super(
      'REFRESH_TOKEN_REUSED',
      'This refresh token was already used; every session descended from it has been revoked',
    );
  }
}
