import { Injectable } from '@nestjs/common';
import { dictionary } from '@zxcvbn-ts/language-common';
import { DomainError } from '../../common/errors/index.js';

/**
 * Passwords are 8 to 128 characters (the DTOs check that) and not among the ~49,000 most
 * common passwords of zxcvbn-ts's list, compiled from breach corpora. Checked case-insensitively.
 */
@Injectable()
export class PasswordPolicy {
  private readonly common = new Set(
    dictionary['passwords-common'].map((password) => password.toLowerCase()),
  );

  get listSize(): number {
    return this.common.size;
  }

  assertAcceptable(password: string, field = 'password'): void {
    if (this.common.has(password.toLowerCase())) {
      throw new DomainError('WEAK_PASSWORD', 'This password is too common; choose another', {
        errors: [{ field, message: `${field} is on a list of commonly breached passwords` }],
      });
    }
  }
}
