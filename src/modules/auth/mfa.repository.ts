import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Like, Not, type EntityManager, type Repository } from 'typeorm';
import { queryRecords } from '../../database/query-records.js';
import { MfaFactor } from './entities/mfa-factor.entity.js';
import { MfaRecoveryCode } from './entities/mfa-recovery-code.entity.js';

@Injectable()
export class MfaRepository {
  constructor(@InjectRepository(MfaFactor) private readonly factors: Repository<MfaFactor>) {}

  findFactor(userId: string, manager?: EntityManager): Promise<MfaFactor | null> {
    return (manager?.getRepository(MfaFactor) ?? this.factors).findOneBy({ userId });
  }

  /** A new pending secret replaces any earlier pending one; an enabled factor is left alone. */
  async savePending(userId: string, secret: string): Promise<boolean> {
    const rows = await queryRecords<{ user_id: string }>(
      this.factors.manager,
      `INSERT INTO mfa_factors (user_id, secret) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, last_time_step = NULL
         WHERE mfa_factors.enabled_at IS NULL
       RETURNING user_id`,
      [userId, secret],
    );
    return rows.length === 1;
  }

  /**
   * Records `timeStep` as used if it is newer than the last one: a TOTP code is accepted once,
   * even when two requests present it at the same moment.
   */
  async acceptTimeStep(manager: EntityManager, userId: string, timeStep: number): Promise<boolean> {
    const rows = await queryRecords<{ user_id: string }>(
      manager,
      `UPDATE mfa_factors SET last_time_step = $2
        WHERE user_id = $1 AND (last_time_step IS NULL OR last_time_step < $2)
    RETURNING user_id`,
      [userId, timeStep],
    );
    return rows.length === 1;
  }

  async markEnabled(manager: EntityManager, userId: string): Promise<void> {
    await manager.getRepository(MfaFactor).update({ userId }, { enabledAt: new Date() });
  }

  async replaceRecoveryCodes(
    manager: EntityManager,
    userId: string,
    codeHashes: string[],
  ): Promise<void> {
    await manager.getRepository(MfaRecoveryCode).delete({ userId });
    await manager
      .getRepository(MfaRecoveryCode)
      .insert(codeHashes.map((codeHash) => ({ userId, codeHash })));
  }

  /** Uses a recovery code: one conditional UPDATE, so each code works exactly once. */
  async consumeRecoveryCode(
    manager: EntityManager,
    userId: string,
    codeHash: string,
  ): Promise<boolean> {
    const rows = await queryRecords<{ id: string }>(
      manager,
      `UPDATE mfa_recovery_codes SET used_at = now()
        WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL
    RETURNING id`,
      [userId, codeHash],
    );
    return rows.length === 1;
  }

  /** The secrets not sealed under `prefix` (the current data key): plaintext or an older key. */
  findSecretsNotUnder(
    manager: EntityManager,
    prefix: string,
  ): Promise<{ userId: string; secret: string }[]> {
    return manager
      .getRepository(MfaFactor)
      .find({ select: { userId: true, secret: true }, where: { secret: Not(Like(`${prefix}%`)) } });
  }

  /**
   * Replaces a secret only if it is still `expected`: replicas re-sealing at the same boot, or a
   * user restarting enrolment meanwhile, never lose a value.
   */
  async replaceSecret(
    manager: EntityManager,
    userId: string,
    expected: string,
    secret: string,
  ): Promise<void> {
    await manager.getRepository(MfaFactor).update({ userId, secret: expected }, { secret });
  }

  async remove(manager: EntityManager, userId: string): Promise<void> {
    await manager.getRepository(MfaRecoveryCode).delete({ userId });
    await manager.getRepository(MfaFactor).delete({ userId });
  }
}
