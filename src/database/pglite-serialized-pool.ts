import { Mutex, withTimeout, type MutexInterface } from 'async-mutex';
import { PGliteDriver } from 'typeorm-pglite';

type Release = (error?: unknown) => void;
type ConnectCallback = (error: unknown, client: unknown, release: Release) => void;
type PoolClass = new () => { connect(callback: ConnectCallback): Promise<void> };

/** How long a request may wait for the embedded database before it is told why it cannot have it. */
const ACQUIRE_TIMEOUT_MS = 30_000;

/**
 * PGlite is a single database session shared by every TypeORM connection. Without
 * serialization, two requests' transactions interleave on that one session: a ROLLBACK
 * in one undoes the other's writes, and reads see uncommitted rows. This pool hands out
 * the session to one TypeORM query runner at a time (a transaction, or a single query
 * outside one) and takes it back when the runner is released: a pool of exactly one.
 *
 * Code that holds a transaction must run every query through that transaction's
 * EntityManager; a query through the DataSource would wait for the session it holds.
 */
export function createSerializedPGliteDriver(dataDir: string): { Pool: PoolClass } {
  const BasePool = new PGliteDriver({ dataDir }).driver.Pool as unknown as PoolClass;
  const session: MutexInterface = withTimeout(
    new Mutex(),
    ACQUIRE_TIMEOUT_MS,
    new Error(
      'Timed out waiting for the embedded database session: a query probably ran outside ' +
        'the transaction that holds it (use the transaction EntityManager)',
    ),
  );

  class SerializedPGlitePool extends BasePool {
    override async connect(callback: ConnectCallback): Promise<void> {
      let releaseSession: MutexInterface.Releaser;
      try {
        releaseSession = await session.acquire();
      } catch (error) {
        callback(error, null, () => undefined);
        return;
      }
      let released = false;
      await super.connect((error, client, done) => {
        const release: Release = (releaseError) => {
          if (released) return;
          released = true;
          done(releaseError);
          releaseSession();
        };
        if (error) release();
        callback(error, client, release);
      });
    }
  }
  return { Pool: SerializedPGlitePool };
}
