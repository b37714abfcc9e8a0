import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from '../errors/index.js';

/**
 * A path parameter that must be a Stripe object id with the given prefix (`cs`, `in`): junk
 * (NUL bytes, 100 KB of text) is refused here, before it reaches a query or Stripe.
 */
@Injectable()
export class ParseStripeIdPipe implements PipeTransform<string, string> {
  private readonly pattern: RegExp;

  constructor(private readonly prefix: string) {
    this.pattern = new RegExp(`^${prefix}_[A-Za-z0-9_]{1,250}$`);
  }

  transform(value: string, metadata: ArgumentMetadata): string {
    if (this.pattern.test(value)) return value;
    const field = metadata.data ?? 'id';
    const message = `${field} must be a Stripe id starting with ${this.prefix}_`;
    throw new DomainError('VALIDATION_FAILED', message, { errors: [{ field, message }] });
  }
}
