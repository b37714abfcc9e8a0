import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { queryRecords } from '../../database/query-records.js';

export interface DailyTotal {
  day: string;
  feature: string;
  model: string | null;
  quantity: number;
  events: number;
}

@Injectable()
export class UsageRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Counts `quantity` into the period's counter only if the total stays within `limit` (null:
   * no limit), and returns the new total, or null when it would pass the limit. One statement:
   * the upsert locks the counter row and re-checks the condition against the latest committed
   * total, so concurrent callers can never pass the limit together.
   */
  async countWithinLimit(
    manager: EntityManager,
    usage: { organizationId: string; feature: string; periodStart: Date; quantity: number },
    limit: number | null,
  ): Promise<number | null> {
    const [row] = await queryRecords<{ used: string }>(
      manager,
      `INSERT INTO usage_counters (organization_id, feature_key, period_start, used)
       SELECT $1, $2, $3, $4 WHERE $5::bigint IS NULL OR $4 <= $5::bigint
       ON CONFLICT (organization_id, feature_key, period_start)
       DO UPDATE SET used = usage_counters.used + EXCLUDED.used
       WHERE $5::bigint IS NULL OR usage_counters.used + EXCLUDED.used <= $5::bigint
       RETURNING used`,
      [usage.organizationId, usage.feature, usage.periodStart, usage.quantity, limit],
    );
    return row ? Number(row.used) : null;
  }

  async used(
    organizationId: string,
    feature: string,
    periodStart: Date,
    manager?: EntityManager,
  ): Promise<number> {
    const [row] = await (manager ?? this.dataSource.manager).query<{ used: string }[]>(
      'SELECT used FROM usage_counters WHERE organization_id = $1 AND feature_key = $2 AND period_start = $3',
      [organizationId, feature, periodStart],
    );
    return Number(row?.used ?? 0);
  }

  /** Adds to the day's statistics (an atomic upsert; concurrent adds both count). */
  async addToDailyTotal(
    manager: EntityManager,
    usage: { organizationId: string; feature: string; model: string | null; quantity: number },
  ): Promise<void> {
    await queryRecords(
      manager,
      `INSERT INTO usage_daily_totals (organization_id, day, feature_key, model, quantity, events)
       VALUES ($1, (now() AT TIME ZONE 'UTC')::date, $2, $3, $4, 1)
       ON CONFLICT (organization_id, day, feature_key, model)
       DO UPDATE SET quantity = usage_daily_totals.quantity + EXCLUDED.quantity,
                     events = usage_daily_totals.events + 1`,
      [usage.organizationId, usage.feature, usage.model ?? '', usage.quantity],
    );
  }

  async dailyTotals(
    organizationId: string,
    range: { from: string; to: string; feature?: string },
  ): Promise<DailyTotal[]> {
    const rows = await this.dataSource.query<
      { day: string; feature_key: string; model: string; quantity: string; events: number }[]
    >(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, feature_key, model, quantity, events FROM usage_daily_totals
       WHERE organization_id = $1 AND day BETWEEN $2 AND $3 AND ($4::varchar IS NULL OR feature_key = $4)
       ORDER BY day, feature_key, model`,
      [organizationId, range.from, range.to, range.feature ?? null],
    );
    return rows.map((row) => ({
      day: row.day,
      feature: row.feature_key,
      model: row.model || null,
      quantity: Number(row.quantity),
      events: Number(row.events),
    }));
  }
}
