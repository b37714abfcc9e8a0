import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { AuditService } from '../audit/audit.service.js';
import { AdminApi } from './admin-api.decorator.js';
import {
  AuditLogPageDto,
  AuditLogQueryDto,
  ChainVerificationDto,
} from './dto/admin-operations.dto.js';

@AdminApi()
@Controller('v1/admin/audit-logs')
export class AdminAuditLogsController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOkResponse({ type: AuditLogPageDto })
  @ApiProblems(400, 401, 503)
  list(@Query() query: AuditLogQueryDto): Promise<AuditLogPageDto> {
    const { entityType, entityId, actorType, actorId, startDate, endDate } = query;
    return this.audit.list({ entityType, entityId, actorType, actorId, startDate, endDate }, query);
  }

  /** Walks the hash chain: any entry altered, removed or inserted behind our back shows here. */
  @Get('verify')
  @ApiOkResponse({ type: ChainVerificationDto })
  @ApiProblems(401, 503)
  verify(): Promise<ChainVerificationDto> {
    return this.audit.verify();
  }
}
