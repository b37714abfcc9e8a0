import type { EntityManager } from 'typeorm';

/**
 * Runs `work` inside the caller's transaction behind a savepoint: its writes commit with the
 * transaction, and when it fails only they are undone and the transaction goes on (PostgreSQL
 * aborts the whole transaction on an error otherwise). Returns whether it succeeded.
 */
export async function withSavepoint(
  manager: EntityManager,
  name: string,
  work: () => Promise<unknown>,
): Promise<boolean> {
  await manager.query(`SAVEPOINT ${name}`);
  try {
    await work();
    await manager.query(`RELEASE SAVEPOINT ${name}`);
    return true;
  } catch {
    await manager.query(`ROLLBACK TO SAVEPOINT ${name}`);
    return false;
  }
}
