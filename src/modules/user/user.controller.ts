import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserPrincipal } from '../../common/auth/principal.js';
import { CurrentUser } from '../../common/decorators/current-user.decorator.js';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { type Page, PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { type LoginHistoryEntryDto, LoginHistoryPageDto } from './dto/login-history-entry.dto.js';
import { LoginHistoryService } from './login-history.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/users')
export class UserController {
  constructor(private readonly loginHistory: LoginHistoryService) {}

  @Get('me/login-history')
  @ApiOperation({ summary: "The caller's login attempts, newest first" })
  @ApiOkResponse({ type: LoginHistoryPageDto })
  @ApiProblems(400, 401, 403)
  history(
    @CurrentUser() user: UserPrincipal,
    @Query() query: PageQueryDto,
  ): Promise<Page<LoginHistoryEntryDto>> {
    return this.loginHistory.listOfUser(user.userId, query);
  }
}
