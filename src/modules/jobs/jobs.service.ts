import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { DomainError } from '../../common/errors/index.js';
import { operationsConfig } from '../../config/operations.config.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { JobLock } from './job-lock.js';
import type { JobResult, ScheduledJob } from './scheduled-job.js';

export const SCHEDULED_JOBS = Symbol('SCHEDULED_JOBS');

export interface JobRun {
  job: string;
  /** False when another replica (or an earlier run here) holds the job's lock. */
  ran: boolean;
  result: JobResult | null;
}

/**
 * Runs the scheduled jobs: on their schedule on every replica when JOBS_ENABLED (the lock lets
 * one of them do the work), or on demand from the admin API. Each run is logged with its
 * duration and outcome and counted in /metrics.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobsService.name);
  private readonly jobs: Map<string, ScheduledJob>;

  constructor(
    @Inject(SCHEDULED_JOBS) jobs: ScheduledJob[],
    private readonly lock: JobLock,
    private readonly scheduler: SchedulerRegistry,
    private readonly metrics: MetricsService,
    @Inject(operationsConfig.KEY) private readonly config: ConfigType<typeof operationsConfig>,
  ) {
    this.jobs = new Map(jobs.map((job) => [job.name, job]));
  }

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    for (const job of this.jobs.values()) {
      const cron = CronJob.from({
        cronTime: job.schedule,
        onTick: () => void this.run(job.name).catch(() => undefined),
        start: true,
      });
      this.scheduler.addCronJob(`job:${job.name}`, cron);
    }
  }

  /** Cron jobs added at run time are ours to stop: the schedule module stops only its own. */
  onApplicationShutdown(): void {
    for (const name of this.jobs.keys()) {
      if (this.scheduler.doesExist('cron', `job:${name}`))
        this.scheduler.deleteCronJob(`job:${name}`);
    }
  }

  names(): string[] {
    return [...this.jobs.keys()];
  }

  /** Runs one job now under its lock; a failure is logged, counted and rethrown. */
  async run(name: string): Promise<JobRun> {
    const job = this.jobs.get(name);
    if (!job) throw new DomainError('NOT_FOUND', `No job named ${name}`);
    const started = performance.now();
    try {
      const { ran, result } = await this.lock.runExclusive(name, () => job.run());
      const seconds = (performance.now() - started) / 1000;
      this.metrics.jobRuns.inc({ job: name, outcome: ran ? 'success' : 'skipped' });
      if (ran && result) this.recordRun(name, seconds, result);
      return { job: name, ran, result: result ?? null };
    } catch (error) {
      this.metrics.jobRuns.inc({ job: name, outcome: 'failure' });
      this.logger.error({ err: error, job: name }, 'Job failed');
      throw error;
    }
  }

  private recordRun(name: string, seconds: number, result: JobResult): void {
    this.metrics.jobDuration.observe({ job: name }, seconds);
    const affected = Object.values(result).reduce((sum, count) => sum + count, 0);
    this.metrics.jobItems.inc({ job: name }, affected);
    const level = affected > 0 ? 'log' : 'debug';
    this.logger[level]({ job: name, durationMs: Math.round(seconds * 1000), result }, 'Job ran');
  }
}
