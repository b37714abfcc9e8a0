import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { DomainError } from '../../common/errors/index.js';
import { queryRecords } from '../../database/query-records.js';
import { Wallet } from './entities/wallet.entity.js';
import {
  WalletTransaction,
  type WalletTransactionType,
} from './entities/wallet-transaction.entity.js';

/** A ledger booking: `amount` is positive for credits in; a debit gives the most it may take. */
export interface Credit {
  organizationId: string;
  amount: number;
  type: WalletTransactionType;
  reference: string;
  description: string;
}

interface WalletAmounts {
  balance: number;
  held: number;
  frozen: number;
  debt: number;
}

/** What may be spent: neither held by reservations, frozen by disputes, nor owed as debt. */
const AVAILABLE = 'balance - held - frozen - debt';
const available = (wallet: WalletAmounts) =>
  Math.max(0, wallet.balance - wallet.held - wallet.frozen - wallet.debt);

@Injectable()
export class WalletRepository {
  constructor(
    @InjectRepository(Wallet) private readonly wallets: Repository<Wallet>,
    @InjectRepository(WalletTransaction) private readonly ledger: Repository<WalletTransaction>,
  ) {}

  find(organizationId: string): Promise<Wallet | null> {
    return this.wallets.findOneBy({ organizationId });
  }

  /**
   * Adds credits exactly once per reference, inside the caller's transaction. The wallet row is
   * locked first, so concurrent bookings line up and each ledger row's balance_after is right; the
   * ledger's unique (organization, reference) index refuses a second booking of the same money,
   * and only a new ledger row moves the balance. Debt is paid first from what came in (its own
   * ledger entry). Returns the ledger row and the new balance, or null when the reference was
   * booked already.
   */
  async creditOnce(
    manager: EntityManager,
    credit: Credit,
  ): Promise<{ transactionId: string; balance: number } | null> {
    const { balance } = await this.lock(manager, credit.organizationId);
    const transactionId = await this.book(manager, credit, credit.amount, balance);
    if (!transactionId) return null;
    await this.move(manager, credit.organizationId, { balance: credit.amount });
    return {
      transactionId,
      balance: await this.payDebt(manager, credit.organizationId, credit.reference),
    };
  }

  /**
   * Takes back `debit.amount` credits that left the customer (a refund, a lost dispute), once per
   * reference: first `fromFrozen` of the frozen credits, then what is free; what the wallet no
   * longer has (spent, or held by open reservations, which stay held) becomes `debt`. Nothing is
   * forgiven. Returns what was taken, the debt it added and the new balance, or null when the
   * reference was booked already.
   */
  async takeBack(
    manager: EntityManager,
    debit: Credit,
    fromFrozen = 0,
  ): Promise<{ taken: number; debt: number; balance: number } | null> {
    const wallet = await this.lock(manager, debit.organizationId);
    const frozen = Math.min(fromFrozen, wallet.frozen, debit.amount);
    const taken = frozen + Math.min(debit.amount - frozen, available(wallet));
    if (!(await this.book(manager, debit, -taken, wallet.balance))) return null;
    const debt = debit.amount - taken;
    const balance = await this.move(manager, debit.organizationId, {
      balance: -taken,
      frozen: -frozen,
      debt,
    });
    return { taken, debt, balance };
  }

  /** Freezes up to `amount` of the free credits (an open dispute); returns how many. */
  async freeze(manager: EntityManager, organizationId: string, amount: number): Promise<number> {
    const frozen = Math.min(amount, available(await this.lock(manager, organizationId)));
    await this.move(manager, organizationId, { frozen });
    return frozen;
  }

  /** Frees frozen credits (a dispute won); debt is paid from them first. */
  async unfreeze(
    manager: EntityManager,
    organizationId: string,
    amount: number,
    reference: string,
  ): Promise<number> {
    await this.lock(manager, organizationId);
    await this.move(manager, organizationId, { frozen: -amount });
    return this.payDebt(manager, organizationId, reference);
  }

  /**
   * Takes `debit.amount` from the credits that are free (balance less held) in one conditional
   * UPDATE, no read first: concurrent charges can never together spend more than is there, and
   * the CHECK on the balance backs that up. Returns the ledger row's id and the new balance, or
   * null when the credits are short (nothing written).
   */
  async debitAvailable(
    manager: EntityManager,
    debit: Credit,
  ): Promise<{ transactionId: string; balance: number } | null> {
    const [wallet] = await queryRecords<{ balance: string }>(
      manager,
      `UPDATE wallets SET balance = balance - $2, updated_at = now()
       WHERE organization_id = $1 AND ${AVAILABLE} >= $2 RETURNING balance`,
      [debit.organizationId, debit.amount],
    );
    if (!wallet) return null;
    const balance = Number(wallet.balance);
    const transactionId = await this.insertLedgerRow(manager, debit, -debit.amount, balance);
    return { transactionId, balance };
  }

  /** Holds credits for a reservation, if that many are free; false when short. */
  async hold(manager: EntityManager, organizationId: string, amount: number): Promise<boolean> {
    const held = await queryRecords(
      manager,
      `UPDATE wallets SET held = held + $2, updated_at = now()
       WHERE organization_id = $1 AND ${AVAILABLE} >= $2 RETURNING held`,
      [organizationId, amount],
    );
    return held.length > 0;
  }

  /**
   * Gives a reservation's hold back, charging `charged` of it (one ledger row when > 0). What is
   * freed pays any debt first, so credits refunded while they were held never become spendable.
   */
  async settleHold(
    manager: EntityManager,
    hold: {
      organizationId: string;
      amount: number;
      charged: number;
      reference: string;
      description: string;
    },
  ): Promise<{ transactionId: string | null; balance: number }> {
    const [wallet] = await queryRecords<{ balance: string }>(
      manager,
      `UPDATE wallets SET held = held - $2, balance = balance - $3, updated_at = now()
       WHERE organization_id = $1 RETURNING balance`,
      [hold.organizationId, hold.amount, hold.charged],
    );
    const transactionId =
      hold.charged === 0
        ? null
        : await this.insertLedgerRow(
            manager,
            { ...hold, type: 'usage', amount: hold.charged },
            -hold.charged,
            Number(wallet.balance),
          );
    return {
      transactionId,
      balance: await this.payDebt(manager, hold.organizationId, hold.reference),
    };
  }

  /**
   * Flips the low-balance flag when `available` crossed the threshold since the last time, in
   * the caller's transaction (the UPDATE locks the wallet row, so concurrent charges see one
   * crossing). Returns the crossing, or null when there was none.
   */
  async crossLowBalanceThreshold(
    manager: EntityManager,
    organizationId: string,
  ): Promise<{ below: boolean; available: number; threshold: number } | null> {
    const [row] = await queryRecords<{ below: boolean; available: string; threshold: string }>(
      manager,
      `UPDATE wallets SET low_balance_alerted = NOT low_balance_alerted
       WHERE organization_id = $1 AND low_balance_threshold IS NOT NULL
         AND low_balance_alerted <> (${AVAILABLE} < low_balance_threshold)
       RETURNING low_balance_alerted AS below, GREATEST(${AVAILABLE}, 0) AS available, low_balance_threshold AS threshold`,
      [organizationId],
    );
    return row
      ? { below: row.below, available: Number(row.available), threshold: Number(row.threshold) }
      : null;
  }

  /** Sets the threshold; the alert starts afresh from the current state. */
  async setLowBalanceThreshold(
    manager: EntityManager,
    organizationId: string,
    threshold: number | null,
  ): Promise<void> {
    await queryRecords(
      manager,
      'INSERT INTO wallets (organization_id) VALUES ($1) ON CONFLICT DO NOTHING',
      [organizationId],
    );
    await queryRecords(
      manager,
      `UPDATE wallets SET low_balance_threshold = $2, low_balance_alerted = false, updated_at = now()
       WHERE organization_id = $1`,
      [organizationId, threshold],
    );
  }

  transactions(
    organizationId: string,
    page: { limit: number; offset: number },
  ): Promise<[WalletTransaction[], number]> {
    return this.ledger.findAndCount({
      where: { organizationId },
      order: { seq: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  /**
   * A ledger row whose reference must be new: the unique (organization, reference) index has
   * already been claimed by the caller's idempotency key, so a clash is a conflict, never a
   * second booking.
   */
  private async insertLedgerRow(
    manager: EntityManager,
    entry: Credit,
    amount: number,
    balanceAfter: number,
  ): Promise<string> {
    const id = await this.book(manager, entry, amount, balanceAfter - amount);
    if (!id)
      throw new DomainError('CONFLICT', `Ledger reference ${entry.reference} is booked already`);
    return id;
  }

  /** Creates the wallet on first use and locks its row until the caller's transaction ends. */
  private async lock(manager: EntityManager, organizationId: string): Promise<WalletAmounts> {
    await queryRecords(
      manager,
      'INSERT INTO wallets (organization_id) VALUES ($1) ON CONFLICT DO NOTHING',
      [organizationId],
    );
    const [locked] = await queryRecords<Record<keyof WalletAmounts, string>>(
      manager,
      'SELECT balance, held, frozen, debt FROM wallets WHERE organization_id = $1 FOR UPDATE',
      [organizationId],
    );
    return {
      balance: Number(locked.balance),
      held: Number(locked.held),
      frozen: Number(locked.frozen),
      debt: Number(locked.debt),
    };
  }

  /**
   * Pays debt from the credits that are neither held nor frozen, as one `refund` ledger entry
   * (reference `<reference>:debt`), in the caller's transaction with the wallet row locked.
   * Returns the balance afterwards.
   */
  private async payDebt(
    manager: EntityManager,
    organizationId: string,
    reference: string,
  ): Promise<number> {
    const wallet = await this.lock(manager, organizationId);
    const paid = Math.min(wallet.debt, wallet.balance - wallet.held - wallet.frozen);
    if (paid <= 0) return wallet.balance;
    await this.insertLedgerRow(
      manager,
      {
        organizationId,
        amount: paid,
        type: 'refund',
        reference: `${reference}:debt`,
        description: 'Paid toward credits refunded or disputed after they were spent',
      },
      -paid,
      wallet.balance - paid,
    );
    return this.move(manager, organizationId, { balance: -paid, debt: -paid });
  }

  /** The ledger row's id; null when its reference was booked before. */
  private async book(
    manager: EntityManager,
    entry: Credit,
    amount: number,
    balanceBefore: number,
  ): Promise<string | null> {
    const booked = await queryRecords<{ id: string }>(
      manager,
      `INSERT INTO wallet_transactions (organization_id, type, amount, balance_after, reference, description)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (organization_id, reference) DO NOTHING
       RETURNING id`,
      [
        entry.organizationId,
        entry.type,
        amount,
        balanceBefore + amount,
        entry.reference,
        entry.description,
      ],
    );
    return booked[0]?.id ?? null;
  }

  /** Moves the wallet's amounts by the given differences; returns the new balance. */
  private async move(
    manager: EntityManager,
    organizationId: string,
    by: Partial<Omit<WalletAmounts, 'held'>>,
  ): Promise<number> {
    const [wallet] = await queryRecords<{ balance: string }>(
      manager,
      `UPDATE wallets SET balance = balance + $2, frozen = frozen + $3, debt = debt + $4, updated_at = now()
       WHERE organization_id = $1 RETURNING balance`,
      [organizationId, by.balance ?? 0, by.frozen ?? 0, by.debt ?? 0],
    );
    return Number(wallet.balance);
  }

  /** Credits bought (purchases less refunds) and used (usage), across all wallets. */
  async creditTotals(): Promise<{ creditsSold: number; creditsUsed: number }> {
    const [row] = await this.ledger
      .createQueryBuilder('entry')
      .select(
        "COALESCE(SUM(entry.amount) FILTER (WHERE entry.type IN ('purchase', 'refund')), 0)",
        'sold',
      )
      .addSelect("COALESCE(-SUM(entry.amount) FILTER (WHERE entry.type = 'usage'), 0)", 'used')
      .getRawMany<{ sold: string; used: string }>();
    return { creditsSold: Number(row.sold), creditsUsed: Number(row.used) };
  }
}
