import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { databaseConfig } from '../../config/database.config.js';

/**
 * Exactly one replica runs a job at a time. On a PostgreSQL server that is a session advisory
 * lock named after the job, taken without waiting on a connection of its own and held for the
 * run: a replica that does not get it skips the run. The embedded database admits one process,
 * and its one session cannot be held for the length of a run, so there a flag in memory does.
 */
@Injectable()
export class JobLock {
  private readonly runningHere = new Set<string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(databaseConfig.KEY) private readonly config: ConfigType<typeof databaseConfig>,
  ) {}

  /** Runs `work` unless another run of `name` holds the lock; `ran` says which. */
  async runExclusive<T>(
    name: string,
    work: () => Promise<T>,
  ): Promise<{ ran: boolean; result?: T }> {
    if (this.runningHere.has(name)) return { ran: false };
    this.runningHere.add(name);
    try {
      if (!this.config.url) return { ran: true, result: await work() };
      return await this.withAdvisoryLock(name, work);
    } finally {
      this.runningHere.delete(name);
    }
  }

  private async withAdvisoryLock<T>(
    name: string,
    work: () => Promise<T>,
  ): Promise<{ ran: boolean; result?: T }> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const key = `job:${name}`;
      const [{ locked }] = (await runner.query(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
        [key],
      )) as { locked: boolean }[];
      if (!locked) return { ran: false };
      try {
        return { ran: true, result: await work() };
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
      }
    } finally {
      await runner.release();
    }
  }
}
