import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { queryRecords } from '../../../database/query-records.js';
import { OAuthAccount } from '../entities/oauth-account.entity.js';
import { OAuthState } from '../entities/oauth-state.entity.js';
import type { OAuthProviderName } from './oauth-provider.js';

@Injectable()
export class OAuthRepository {
  constructor(@InjectRepository(OAuthState) private readonly states: Repository<OAuthState>) {}

  async saveState(
    state: Pick<OAuthState, 'stateHash' | 'provider' | 'codeVerifier' | 'expiresAt'>,
  ): Promise<void> {
    await this.states.insert(state);
  }

  /** Takes a pending state out (DELETE … RETURNING): a callback URL works once, for its provider. */
  async consumeState(stateHash: string, provider: OAuthProviderName): Promise<string | null> {
    const rows = await queryRecords<{ code_verifier: string }>(
      this.states.manager,
      `DELETE FROM oauth_states WHERE state_hash = $1 AND provider = $2 AND expires_at > now()
       RETURNING code_verifier`,
      [stateHash, provider],
    );
    return rows[0]?.code_verifier ?? null;
  }

  findAccount(
    manager: EntityManager,
    provider: OAuthProviderName,
    providerAccountId: string,
  ): Promise<OAuthAccount | null> {
    return manager.getRepository(OAuthAccount).findOneBy({ provider, providerAccountId });
  }

  async unlinkAll(manager: EntityManager, userId: string): Promise<void> {
    await manager.getRepository(OAuthAccount).delete({ userId });
  }

  async link(
    manager: EntityManager,
    account: Pick<OAuthAccount, 'provider' | 'providerAccountId' | 'userId' | 'email'>,
  ): Promise<void> {
    await manager.getRepository(OAuthAccount).insert(account);
  }
}
