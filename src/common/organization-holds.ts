import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Runs inside the asking transaction: on the embedded database a query outside it would wait forever. */
type HoldCheck = (organizationId: string, manager: EntityManager) => Promise<boolean>;

/**
 * Things that keep an organization from being abandoned (a live subscription, say), registered by
 * the modules that own them. Lower modules (tenant) ask without depending on higher ones
 * (subscription): the higher module registers its check at start.
 */
@Injectable()
export class OrganizationHolds {
  private readonly checks = new Map<string, HoldCheck>();

  register(name: string, check: HoldCheck): void {
    this.checks.set(name, check);
  }

  /** The names of the holds on this organization; empty when nothing keeps it. */
  async of(organizationId: string, manager: EntityManager): Promise<string[]> {
    const held = await Promise.all(
      [...this.checks].map(async ([name, check]) =>
        (await check(organizationId, manager)) ? name : null,
      ),
    );
    return held.filter((name): name is string => name !== null);
  }
}
