import { Global, Module } from '@nestjs/common';
import { BackgroundWork } from './background-work.js';
import { OrganizationHolds } from './organization-holds.js';

@Global()
@Module({
  providers: [BackgroundWork, OrganizationHolds],
  exports: [BackgroundWork, OrganizationHolds],
})
export class CommonModule {}
