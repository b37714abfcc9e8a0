import { DomainError } from '../../common/errors/index.js';

export class VersionConflictError extends DomainError {
  constructor() {
    super('VERSION_CONFLICT', 'The intent kept changing under this request; retry');
  }
}

export class IntentNotPendingError extends DomainError {
  constructor(status: string) {
    super('CONFLICT', `The intent is already ${status}`);
  }
}
