import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Runs inside the asking transaction: on the embedded database a query outside it would wait forever. */
type SeatLimitOf = (organizationId: string, manager: EntityManager) => Promise<number | null>;

/**
 * How many seats (members plus pending invitations) an organization's level allows. The tenant
 * module enforces it; the entitlement module, a higher layer, knows it and registers itself at
 * start, so tenant asks without depending on it. Null: unlimited (also when nobody registered).
 */
@Injectable()
export class SeatLimits {
  private limitOf: SeatLimitOf = () => Promise.resolve(null);

  register(limitOf: SeatLimitOf): void {
    this.limitOf = limitOf;
  }

  of(organizationId: string, manager: EntityManager): Promise<number | null> {
    return this.limitOf(organizationId, manager);
  }
}
