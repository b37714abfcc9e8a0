import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { CreditReservation } from './entities/credit-reservation.entity.js';

export type NewReservation = Pick<
  CreditReservation,
  'organizationId' | 'idempotencyKey' | 'featureKey' | 'description' | 'expiresAt'
> & { amount: number };

@Injectable()
export class ReservationRepository {
  constructor(
    @InjectRepository(CreditReservation)
    private readonly reservations: Repository<CreditReservation>,
  ) {}

  async insert(manager: EntityManager, reservation: NewReservation): Promise<CreditReservation> {
    const repository = manager.getRepository(CreditReservation);
    return repository.save(
      repository.create({ ...reservation, amount: String(reservation.amount) }),
    );
  }

  /** The reservation with its row locked, so that finalize, release and expiry take turns. */
  lock(
    manager: EntityManager,
    organizationId: string,
    id: string,
  ): Promise<CreditReservation | null> {
    return manager
      .getRepository(CreditReservation)
      .createQueryBuilder('reservation')
      .setLock('pessimistic_write')
      .where('reservation.id = :id AND reservation.organizationId = :organizationId', {
        id,
        organizationId,
      })
      .getOne();
  }

  async close(
    manager: EntityManager,
    id: string,
    outcome: Pick<CreditReservation, 'status' | 'charged' | 'transactionId' | 'balanceAfter'>,
  ): Promise<void> {
    await manager
      .getRepository(CreditReservation)
      .update({ id }, { ...outcome, closedAt: new Date() });
  }

  /** Held reservations past their expiry, skipping ones another replica is closing. */
  lockExpired(manager: EntityManager, limit: number): Promise<CreditReservation[]> {
    return manager
      .getRepository(CreditReservation)
      .createQueryBuilder('reservation')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where("reservation.status = 'held' AND reservation.expiresAt <= now()")
      .orderBy('reservation.expiresAt')
      .limit(limit)
      .getMany();
  }
}
