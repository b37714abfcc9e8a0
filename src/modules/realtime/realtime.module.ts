import { Module } from '@nestjs/common';
import { OrganizationEventsController } from './organization-events.controller.js';
import { OrganizationEventsService } from './organization-events.service.js';

/** Live updates for members' browsers (Server-Sent Events), fanned out across replicas. */
@Module({
  controllers: [OrganizationEventsController],
  providers: [OrganizationEventsService],
})
export class RealtimeModule {}
