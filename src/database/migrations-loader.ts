import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MigrationInterface } from 'typeorm';

type MigrationClass = new () => MigrationInterface;

const here = dirname(fileURLToPath(import.meta.url));
const compiled = import.meta.url.endsWith('.js');

/**
 * Migrations live in the top-level `migrations/` folder and are compiled to `dist/migrations/`
 * (see tsconfig.migrations.json); this file sits in `src/database/` or `dist/database/`.
 */
export const migrationsDirectory = compiled
  ? resolve(here, '..', 'migrations')
  : resolve(here, '..', '..', 'migrations');

/** Imports every migration class, oldest first (file names start with a timestamp). */
export async function loadMigrations(): Promise<MigrationClass[]> {
  const extension = compiled ? '.js' : '.ts';
  const files = readdirSync(migrationsDirectory)
    .filter((file) => file.endsWith(extension) && !file.endsWith('.d.ts'))
    .sort();
  const classes: MigrationClass[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(migrationsDirectory, file)).href)) as Record<
      string,
      unknown
    >;
    classes.push(
      ...(Object.values(module).filter((v) => typeof v === 'function') as MigrationClass[]),
    );
  }
  return classes;
}
