import { Injectable } from '@nestjs/common';
import { type Page, type PageQueryDto, pageOf } from '../../common/pagination/page-query.dto.js';
import type { LoginHistoryEntryDto } from './dto/login-history-entry.dto.js';
import { LoginHistoryRepository, type NewLoginAttempt } from './login-history.repository.js';

@Injectable()
export class LoginHistoryService {
  constructor(private readonly history: LoginHistoryRepository) {}

  /** Records one login attempt; written on its own, so a failed login still leaves its trace. */
  record(attempt: NewLoginAttempt): Promise<void> {
    return this.history.insert(attempt);
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
