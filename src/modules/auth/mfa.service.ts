import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { generateSecret, generateURI, verify } from 'otplib';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/index.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { UserService } from '../user/user.service.js';
import type { MfaSetupResponseDto, RecoveryCodesResponseDto } from './dto/mfa.dto.js';
import { MfaRepository } from './mfa.repository.js';
import { MfaSecrets } from './mfa-secrets.js';
import { LoginThrottle } from './login-throttle.service.js';
import { hashToken } from '../../common/crypto/opaque-token.js';

const ISSUER = 'Subscription Service';
const RECOVERY_CODE_COUNT = 10;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** Accept the previous and next 30-second step too, for clocks that drift a little. */
const EPOCH_TOLERANCE_SECONDS = 30;

const invalidCode = () =>
  new DomainError('INVALID_MFA_CODE', 'The authentication code is not valid');

@Injectable()
export class MfaService {
  constructor(
    private readonly factors: MfaRepository,
    private readonly users: UserService,
    private readonly transactions: TransactionRunner,
    private readonly throttle: LoginThrottle,
    private readonly secrets: MfaSecrets,
  ) {}

  async isEnabled(userId: string): Promise<boolean> {
    return Boolean((await this.factors.findFactor(userId))?.enabledAt);
  }

  /** Starts (or restarts) enrolment: a new secret that `enable` must confirm with a code. */
  async setup(userId: string): Promise<MfaSetupResponseDto> {
    const account = await this.users.findAccountById(userId);
    const secret = generateSecret();
    if (!account || !(await this.factors.savePending(userId, this.secrets.seal(userId, secret)))) {
      throw new DomainError(
        'CONFLICT',
        'Two-factor authentication is already enabled; disable it first',
      );
    }
    return {
      secret,
      otpauthUrl: generateURI({ issuer: ISSUER, label: account.profile.email, secret }),
    };
  }

  /** Confirms the authenticator with a code and returns ten single-use recovery codes, once. */
  enable(userId: string, code: string): Promise<RecoveryCodesResponseDto> {
    return this.transactions.run(async (manager) => {
      const factor = await this.factors.findFactor(userId, manager);
      if (!factor) throw new DomainError('CONFLICT', 'Call /v1/auth/mfa/setup first');
      if (factor.enabledAt)
        throw new DomainError('CONFLICT', 'Two-factor authentication is already enabled');
      if (!(await this.acceptTotp(manager, userId, factor.secret, code))) throw invalidCode();
      await this.factors.markEnabled(manager, userId);
      const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
      await this.factors.replaceRecoveryCodes(
        manager,
        userId,
        recoveryCodes.map((c) => hashToken(normalizeRecoveryCode(c))),
      );
      return { recoveryCodes };
    });
  }

  /**
   * Turns MFA off with a current code or an unused recovery code, checked under the account's
   * failure limit (a stolen access token must not be able to guess its way past the factor).
   */
  async disable(userId: string, code: string): Promise<void> {
    const account = await this.users.findAccountById(userId);
    if (!account) throw invalidCode();
    await this.transactions.run(async (manager) => {
      const passed = await this.throttle.attempt(account.profile.email, () =>
        this.checkEnabled(manager, userId, code),
      );
      if (!passed) throw invalidCode();
      await this.factors.remove(manager, userId);
    });
  }

  /** Checks a login's second factor: a TOTP code or a recovery code, each accepted once. */
  verifyForLogin(userId: string, code: string): Promise<boolean> {
    return this.transactions.run((manager) => this.checkEnabled(manager, userId, code));
  }

  private async checkEnabled(
    manager: EntityManager,
    userId: string,
    code: string,
  ): Promise<boolean> {
    const factor = await this.factors.findFactor(userId, manager);
    if (!factor?.enabledAt) return false;
    if (/^\d{6}$/.test(code)) return this.acceptTotp(manager, userId, factor.secret, code);
    return this.factors.consumeRecoveryCode(
      manager,
      userId,
      hashToken(normalizeRecoveryCode(code)),
    );
  }

  private async acceptTotp(
    manager: EntityManager,
    userId: string,
    sealedSecret: string,
    code: string,
  ): Promise<boolean> {
    const result = await verify({
      secret: this.secrets.open(userId, sealedSecret),
      token: code,
      epochTolerance: EPOCH_TOLERANCE_SECONDS,
    });
    // The functional API types HOTP and TOTP results together; only TOTP's carry a time step.
    if (!result.valid || !('timeStep' in result)) return false;
    return this.factors.acceptTimeStep(manager, userId, result.timeStep);
  }
}

function newRecoveryCode(): string {
  const chars = Array.from({ length: 10 }, () => BASE32[randomInt(BASE32.length)]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export function normalizeRecoveryCode(code: string): string {
  return code.replaceAll('-', '').trim().toUpperCase();
}
