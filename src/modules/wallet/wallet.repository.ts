import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Wallet } from './entities/wallet.entity.js';

@Injectable()
export class WalletRepository {
  constructor(@InjectRepository(Wallet) private readonly wallets: Repository<Wallet>) {}

  find(organizationId: string): Promise<Wallet | null> {
    return this.wallets.findOneBy({ organizationId });
  }
}
