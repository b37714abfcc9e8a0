import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { queryRecords } from '../../database/query-records.js';

/**
 * Retention for the auth tables: tokens past their expiry can no longer be used for anything
 * (an expired refresh token is refused before any reuse check), so they go.
 */
@Injectable()
export class TokenRetentionService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async deleteExpired(): Promise<number> {
    let deleted = 0;
    for (const table of ['user_tokens', 'refresh_tokens', 'sessions', 'oauth_states']) {
      const rows = await queryRecords(
        this.dataSource.manager,
        `DELETE FROM ${table} WHERE expires_at < now() RETURNING 1`,
        [],
      );
      deleted += rows.length;
    }
    return deleted;
  }
}
