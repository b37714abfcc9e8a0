import { Controller, type MessageEvent, Param, ParseUUIDPipe, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { OrgRole } from '../../common/decorators/org-role.decorator.js';
import { OrganizationEventsService } from './organization-events.service.js';

@ApiTags('realtime')
@ApiBearerAuth()
@Controller('v1/organizations/:orgId')
export class OrganizationEventsController {
  constructor(private readonly organizationEvents: OrganizationEventsService) {}

  @Sse('events')
  @OrgRole('member')
  @ApiOkResponse({
    description:
      'Server-Sent Events: `wallet.updated`, `subscription.updated`, `purchase.completed`, and a `heartbeat` every 15 s',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiProblems(401, 404)
  events(@Param('orgId', ParseUUIDPipe) orgId: string): Observable<MessageEvent> {
    return this.organizationEvents.stream(orgId);
  }
}
