import { Injectable } from '@nestjs/common';
import { CronExpression } from '@nestjs/schedule';
import { ReservationService } from '../wallet/reservation.service.js';
import type { JobResult, ScheduledJob } from './scheduled-job.js';

/** Credit reservations past their expiry give their hold back. */
@Injectable()
export class ReservationExpiryJob implements ScheduledJob {
  readonly name = 'reservation-expiry';
  readonly schedule = CronExpression.EVERY_MINUTE;

  constructor(private readonly reservations: ReservationService) {}

  run(): Promise<JobResult> {
    return this.reservations.expireDue();
  }
}
