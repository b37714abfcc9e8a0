import { Injectable } from '@nestjs/common';
import { type Page, type PageQueryDto, pageOf } from '../../common/pagination/page-query.dto.js';
import type { LoginHistoryEntryDto } from './dto/login-history-entry.dto.js';
import type { ClientInfo } from '../../common/http/client-info.js';
import type { LoginOutcome } from './entities/login-attempt.entity.js';
import { LoginHistoryRepository } from './login-history.repository.js';

export interface LoginAttemptRecord {
  /** Null when the email belongs to no account. */
  userId: string | null;
  email: string;
  outcome: LoginOutcome;
  /** password, totp, github, google */
  method: string;
  client: ClientInfo;
}

@Injectable()
export class LoginHistoryService {
  constructor(private readonly history: LoginHistoryRepository) {}

  /**
   * Records one login attempt, a success exactly when its outcome is; written on its own, so a
   * failed login still leaves its trace.
   */
  record(attempt: LoginAttemptRecord): Promise<void> {
    const { outcome, client, ...who } = attempt;
    return this.history.insert({
      ...who,
      ...client,
      success: outcome === 'success',
      reason: outcome,
    });
  }

  async listOfUser(userId: string, query: PageQueryDto): Promise<Page<LoginHistoryEntryDto>> {
    const [rows, total] = await this.history.findPageOfUser(
      userId,
      (query.page - 1) * query.perPage,
      query.perPage,
    );
    const data = rows.map((row) => ({
      at: row.createdAt.toISOString(),
      ip: row.ip,
      userAgent: row.userAgent,
      success: row.success,
      reason: row.reason,
      method: row.method,
    }));
    return pageOf(data, total, query);
  }
}
