import { mkdir, readFile, writeFile } from 'node:fs/promises';
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
  // 'wx': if another process generated the key meanwhile, keep theirs.
  await writeFile(path, await generate(), { mode: 0o600, flag: 'wx' }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    },
  );
  return { key: await readFile(path, 'utf8'), created: true };
}
