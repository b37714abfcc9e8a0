import { Injectable } from '@nestjs/common';
import { WalletRepository } from './wallet.repository.js';

@Injectable()
export class WalletService {
  constructor(private readonly wallets: WalletRepository) {}

  /** The organization's credit balance; an organization that never had credits has none. */
  async balanceOf(organizationId: string): Promise<number> {
    return Number((await this.wallets.find(organizationId))?.balance ?? 0);
  }
}
