import { mkdirSync } from 'node:fs';
import lockfile from 'proper-lockfile';

export class DataDirLockedError extends Error {}

/**
 * Only one process may open an embedded database directory: PGlite has no locking of
 * its own, and two writers corrupt the files. The lock is refreshed while we run and
 * goes stale within seconds if the process dies, so a crash does not lock the data out.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  mkdirSync(dir, { recursive: true });
  try {
    return await lockfile.lock(dir, {
      lockfilePath: `${dir}/.lock`,
      stale: 10_000,
      update: 2_000,
      realpath: false,
      // Someone removed or took the lock while we run: stop before two writers corrupt the data.
      onCompromised: (error) => {
        process.stderr.write(`Lost the lock on ${dir} (${error.message}); stopping\n`);
        process.exit(1);
      },
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOCKED') {
      throw new DataDirLockedError(
        `The embedded database in ${dir} is in use by another process; stop it or set DATA_DIR`,
      );
    }
    throw error;
  }
}
