import { Global, Module } from '@nestjs/common';
import { BackgroundWork } from './background-work.js';
import { OrganizationHolds } from './organization-holds.js';
import { SeatLimits } from './seat-limits.js';

@Global()
@Module({
  providers: [BackgroundWork, OrganizationHolds, SeatLimits],
  exports: [BackgroundWork, OrganizationHolds, SeatLimits],
})
export class CommonModule {}
