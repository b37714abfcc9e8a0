/** What a run reports: counts of what it did (`expired: 3`), for the log, metrics and the admin API. */
export type JobResult = Record<string, number>;

/** One piece of maintenance: when it runs, and what it does. */
export interface ScheduledJob {
  /** Stable, URL-safe: `POST /v1/admin/jobs/:name/run`. */
  readonly name: string;
  /** A cron expression (seconds first, as @nestjs/schedule takes it). */
  readonly schedule: string;
  run(): Promise<JobResult>;
}
