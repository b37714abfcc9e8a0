import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/index.js';
import { IdempotencyStore } from '../../common/idempotency/idempotency.store.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { EntitlementService } from '../entitlement/entitlement.service.js';
import { insufficientCredits } from './credit-charge.service.js';
import type {
  CreateReservationDto,
  FinalizeResultDto,
  ReleaseResultDto,
  ReservationDto,
} from './dto/credits.dto.js';
import type { CreditReservation } from './entities/credit-reservation.entity.js';
import { WalletNotices } from './wallet-notices.js';
import { ReservationRepository } from './reservation.repository.js';
import { WalletRepository } from './wallet.repository.js';

const DEFAULT_TTL_SECONDS = 900;
const EXPIRY_BATCH = 100;

const closed = (reservation: CreditReservation) =>
  new DomainError('RESERVATION_CLOSED', `The reservation is ${reservation.status}`);

/**
 * Credits held for work whose cost is known afterwards: `available` drops while `balance` stays;
 * finalize charges the final amount as one `usage` entry and releases the rest; release or
 * expiry frees it all. Each step locks the reservation row, so they take turns.
 */
@Injectable()
export class ReservationService {
  constructor(
    private readonly reservations: ReservationRepository,
    private readonly wallets: WalletRepository,
    private readonly entitlements: EntitlementService,
    private readonly idempotency: IdempotencyStore,
    private readonly notices: WalletNotices,
    private readonly transactions: TransactionRunner,
    private readonly metrics: MetricsService,
  ) {}

  async create(
    organizationId: string,
    key: string,
    input: CreateReservationDto,
  ): Promise<ReservationDto> {
    await this.entitlements.requireEnabled(organizationId, input.feature);
    const request = { organizationId, key, route: 'POST /credits/reservations', body: input };
    return this.transactions.run(async (manager) => {
      const earlier = await this.idempotency.claim<ReservationDto>(manager, request);
      if (earlier) return earlier;
      if (!(await this.wallets.hold(manager, organizationId, input.amount))) {
        throw insufficientCredits();
      }
      const reservation = await this.reservations.insert(manager, {
        organizationId,
        idempotencyKey: key,
        featureKey: input.feature,
        amount: input.amount,
        description: input.description ?? null,
        expiresAt: new Date(Date.now() + (input.ttlSeconds ?? DEFAULT_TTL_SECONDS) * 1000),
      });
      await this.notices.afterChange(manager, organizationId);
      const answer = toReservationDto(reservation);
      await this.idempotency.complete(manager, request, 201, answer);
      return answer;
    });
  }

  /** Charges `amount` (at most what is held) and releases the rest; a repeat gets the first answer. */
  finalize(organizationId: string, id: string, amount: number): Promise<FinalizeResultDto> {
    return this.transactions.run(async (manager) => {
      const reservation = await this.openReservation(manager, organizationId, id);
      const held = Number(reservation.amount);
      if (reservation.status === 'finalized') return finalizedAnswer(reservation);
      if (reservation.status !== 'held') throw closed(reservation);
      if (amount > held) {
        throw new DomainError('VALIDATION_FAILED', `amount must be at most the ${held} held`, {
          errors: [{ field: 'amount', message: `must be at most ${held}` }],
        });
      }
      const settled = await this.wallets.settleHold(manager, {
        organizationId,
        amount: held,
        charged: amount,
        reference: `reservation:${id}`,
        description: reservation.description ?? `Reservation for ${reservation.featureKey}`,
      });
      await this.reservations.close(manager, id, {
        status: 'finalized',
        charged: String(amount),
        transactionId: settled.transactionId,
        balanceAfter: String(settled.balance),
      });
      await this.notices.afterChange(manager, organizationId, settled.balance);
      this.metrics.creditsCharged.inc({ feature: reservation.featureKey }, amount);
      return {
        transactionId: settled.transactionId,
        charged: amount,
        released: held - amount,
        balance: settled.balance,
      };
    });
  }

  /** Frees the whole hold; a repeat gets the first answer. */
  release(organizationId: string, id: string): Promise<ReleaseResultDto> {
    return this.transactions.run(async (manager) => {
      const reservation = await this.openReservation(manager, organizationId, id);
      if (reservation.status === 'released') return { released: Number(reservation.amount) };
      if (reservation.status !== 'held') throw closed(reservation);
      return { released: await this.releaseHeld(manager, reservation, 'released') };
    });
  }

  /** The expiry job: frees the holds of reservations past their expiry. */
  expireDue(): Promise<{ expired: number }> {
    return this.transactions.run(async (manager) => {
      const due = await this.reservations.lockExpired(manager, EXPIRY_BATCH);
      for (const reservation of due) await this.releaseHeld(manager, reservation, 'expired');
      return { expired: due.length };
    });
  }

  /** The locked reservation; one past its expiry counts as expired (the job releases it). */
  private async openReservation(
    manager: EntityManager,
    organizationId: string,
    id: string,
  ): Promise<CreditReservation> {
    const reservation = await this.reservations.lock(manager, organizationId, id);
    if (!reservation) throw new DomainError('NOT_FOUND', 'No such reservation');
    if (reservation.status === 'held' && reservation.expiresAt <= new Date()) {
      throw closed({ ...reservation, status: 'expired' });
    }
    return reservation;
  }

  private async releaseHeld(
    manager: EntityManager,
    reservation: CreditReservation,
    status: 'released' | 'expired',
  ): Promise<number> {
    const amount = Number(reservation.amount);
    const { balance } = await this.wallets.settleHold(manager, {
      organizationId: reservation.organizationId,
      amount,
      charged: 0,
      reference: `reservation:${reservation.id}`,
      description: '',
    });
    await this.reservations.close(manager, reservation.id, {
      status,
      charged: null,
      transactionId: null,
      balanceAfter: String(balance),
    });
    await this.notices.afterChange(manager, reservation.organizationId, balance);
    return amount;
  }
}

/** The first finalize's answer, as it was: the balance is the one it left, not today's. */
function finalizedAnswer(reservation: CreditReservation): FinalizeResultDto {
  const charged = Number(reservation.charged ?? 0);
  return {
    transactionId: reservation.transactionId,
    charged,
    released: Number(reservation.amount) - charged,
    balance: Number(reservation.balanceAfter),
  };
}

function toReservationDto(reservation: CreditReservation): ReservationDto {
  return {
    id: reservation.id,
    amount: Number(reservation.amount),
    status: reservation.status,
    expiresAt: reservation.expiresAt.toISOString(),
  };
}
