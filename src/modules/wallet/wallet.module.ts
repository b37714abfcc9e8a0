import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { EntitlementModule } from '../entitlement/entitlement.module.js';
import { MailModule } from '../mail/mail.module.js';
import { TenantModule } from '../tenant/tenant.module.js';
import { CreditChargeService } from './credit-charge.service.js';
import { CreditsController } from './credits.controller.js';
import { CreditReservation } from './entities/credit-reservation.entity.js';
import { WalletTransaction } from './entities/wallet-transaction.entity.js';
import { Wallet } from './entities/wallet.entity.js';
import { WalletNotices } from './wallet-notices.js';
import { ReservationRepository } from './reservation.repository.js';
import { ReservationService } from './reservation.service.js';
import { WalletController } from './wallet.controller.js';
import { WalletRepository } from './wallet.repository.js';
import { WalletService } from './wallet.service.js';

/** Wallets, the credit ledger, charges, reservations and low-balance alerts. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Wallet, WalletTransaction, CreditReservation]),
    EntitlementModule,
    TenantModule,
    AuditModule,
    MailModule,
  ],
  controllers: [WalletController, CreditsController],
  providers: [
    WalletRepository,
    ReservationRepository,
    WalletService,
    CreditChargeService,
    ReservationService,
    WalletNotices,
  ],
  exports: [WalletService, ReservationService],
})
export class WalletModule {}
