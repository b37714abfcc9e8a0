import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A key kept in a file under `dir`, made by `generate` the first time. Several processes may
 * start at once: the first file written wins and every process reads that one.
 */
export async function readOrCreateKeyFile(
  dir: string,
  name: string,
  generate: () => Promise<string>,
): Promise<{ key: string; created: boolean }> {
  const path = join(dir, name);
  try {
    return { key: await readFile(path, 'utf8'), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Written whole under a name of its own, then linked into place: a process starting at the
  // same moment sees no file or a complete one, and if another linked first, theirs is kept.
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, await generate(), { mode: 0o600, flag: 'wx' });
  let created = true;
  try {
    await link(draft, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    created = false;
  } finally {
    await unlink(draft);
  }
  return { key: await readFile(path, 'utf8'), created };
}
