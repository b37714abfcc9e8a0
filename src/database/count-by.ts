import type { ObjectLiteral, Repository } from 'typeorm';

/** `{ value: count }` of a column, e.g. subscriptions by status (admin statistics). */
export async function countBy<T extends ObjectLiteral>(
  repository: Repository<T>,
  column: keyof T & string,
  where?: string,
): Promise<Record<string, number>> {
  const query = repository
    .createQueryBuilder('row')
    .select(`row.${column}`, 'value')
    .addSelect('COUNT(*)', 'count')
    .groupBy(`row.${column}`);
  if (where) query.where(where);
  const rows = await query.getRawMany<{ value: string; count: string | number }>();
  return Object.fromEntries(rows.map((row) => [row.value, Number(row.count)]));
}
