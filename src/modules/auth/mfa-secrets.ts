import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { DataCipher } from './data-cipher.service.js';
import { MfaRepository } from './mfa.repository.js';

/** Binds a sealed secret to its row: copied to another user's factor, it does not open. */
const contextOf = (userId: string) => `mfa_factors.secret:${userId}`;

/**
 * TOTP secrets at rest. Each is sealed for its user; at boot, secrets stored before encryption
 * (plaintext) or under a key that no longer encrypts are sealed again under the current one,
 * so encrypting existing rows and rotating DATA_ENCRYPTION_KEY need no separate step.
 * (A migration cannot do it: migrations are plain SQL run without the service's keys.)
 */
@Injectable()
export class MfaSecrets implements OnApplicationBootstrap {
  private readonly logger = new Logger(MfaSecrets.name);

  constructor(
    private readonly cipher: DataCipher,
    private readonly factors: MfaRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  seal(userId: string, secret: string): string {
    return this.cipher.encrypt(secret, contextOf(userId));
  }

  /** A plaintext secret (written by a replica from before sealing, mid-rollout) is taken as is. */
  open(userId: string, sealed: string): string {
    return this.cipher.isEncrypted(sealed)
      ? this.cipher.decrypt(sealed, contextOf(userId))
      : sealed;
  }

  /** Fails the boot when a secret's key is not configured: those users could not sign in. */
  async onApplicationBootstrap(): Promise<void> {
    const resealed = await this.transactions.run(async (manager) => {
      const stale = await this.factors.findSecretsNotUnder(manager, this.cipher.currentPrefix);
      for (const { userId, secret } of stale) {
        const current = this.seal(userId, this.open(userId, secret));
        await this.factors.replaceSecret(manager, userId, secret, current);
      }
      return stale.length;
    });
    if (resealed) this.logger.log(`Sealed ${resealed} TOTP secrets under the current data key`);
  }
}
