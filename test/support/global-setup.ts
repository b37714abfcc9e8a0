import { randomBytes } from 'node:crypto';

/**
 * Names this run, so that test files share one migrated template database on PostgreSQL
 * (made by the first file that needs it, see test-database.ts) and teardown can drop it.
 * Kept free of project imports: jest loads this file outside its module mapping.
 */
export default function globalSetup(): void {
  process.env.TEST_RUN_ID = `${process.pid}_${randomBytes(4).toString('hex')}`;
}
