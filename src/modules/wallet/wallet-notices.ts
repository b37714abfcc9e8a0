import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventBus } from '../../events/event-bus.js';
import { MailService } from '../mail/mail.service.js';
import { TenantService } from '../tenant/tenant.service.js';
import { WalletRepository } from './wallet.repository.js';

/**
 * What a wallet change tells people, from inside its transaction: `wallet.updated` for live
 * clients once it commits, and the low-balance alert, once per crossing: when `available` first
 * falls below the organization's threshold, a `wallet.low_balance` event and a mail to the
 * owners; nothing more until it has risen above it.
 */
@Injectable()
export class WalletNotices {
  constructor(
    private readonly wallets: WalletRepository,
    private readonly tenants: TenantService,
    private readonly mail: MailService,
    private readonly events: EventBus,
  ) {}

  /**
   * Call in the transaction of every change to the balance or the held credits; give the new
   * `balance` when the balance itself moved.
   */
  async afterChange(
    manager: EntityManager,
    organizationId: string,
    balance?: number,
  ): Promise<void> {
    if (balance !== undefined) {
      this.events.publishAfterCommit(manager, 'wallet.updated', { organizationId, balance });
    }
    const crossing = await this.wallets.crossLowBalanceThreshold(manager, organizationId);
    if (!crossing?.below) return;
    const { available, threshold } = crossing;
    const organization = await this.tenants.findOrganization(organizationId, manager);
    for (const email of await this.tenants.ownerEmails(organizationId, manager)) {
      await this.mail.enqueue(manager, email, 'low-balance', {
        available: available.toLocaleString('en-US'),
        threshold: threshold.toLocaleString('en-US'),
        organizationName: organization?.name ?? 'Your organization',
      });
    }
    this.events.publishAfterCommit(manager, 'wallet.low_balance', {
      organizationId,
      available,
      threshold,
    });
  }
}
