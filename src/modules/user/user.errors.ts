import { DomainError } from '../../common/errors/index.js';

export class EmailTakenError extends DomainError {
  constructor() {
    super('EMAIL_TAKEN', 'An account with this email already exists');
  }
}

export class UsernameTakenError extends DomainError {
  constructor() {
    super('USERNAME_TAKEN', 'This username is taken');
  }
}

export class UserNotFoundError extends DomainError {
  constructor() {
    super('NOT_FOUND', 'No such user');
  }
}
