import { Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { JobsService } from '../jobs/jobs.service.js';
import { AdminApi } from './admin-api.decorator.js';
import { JobRunDto } from './dto/admin-jobs.dto.js';

@AdminApi()
@Controller('v1/admin/jobs')
export class AdminJobsController {
  constructor(private readonly jobs: JobsService) {}

  /** Runs one scheduled job now, for cron-driven maintenance from outside the process. */
  @Post(':name/run')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: JobRunDto })
  @ApiProblems(401, 404, 503)
  run(@Param('name') name: string): Promise<JobRunDto> {
    return this.jobs.run(name);
  }
}
