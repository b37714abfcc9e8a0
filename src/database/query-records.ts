import type { EntityManager } from 'typeorm';

/**
 * Runs raw SQL and returns its rows whatever the statement: TypeORM's plain `query()` returns
 * `[rows, count]` for UPDATE/DELETE on `pg` but bare rows on PGlite, which reports no command.
 */
export async function queryRecords<T>(
  manager: EntityManager,
  sql: string,
  parameters: unknown[],
): Promise<T[]> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result = await runner.query(sql, parameters, true);
    return result.records as T[];
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}
