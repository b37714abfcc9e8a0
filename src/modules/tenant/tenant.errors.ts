import { DomainError } from '../../common/errors/index.js';

export class OrganizationNotFoundError extends DomainError {
  constructor(what = 'organization') {
    super('NOT_FOUND', `No such ${what}`);
  }
}

export class LastOwnerError extends DomainError {
  constructor(detail = 'An organization must keep at least one owner') {
    super('LAST_OWNER', detail);
  }
}

export class ForbiddenRoleError extends DomainError {
  constructor(detail: string) {
    super('FORBIDDEN', detail);
  }
}
