import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserPrincipal } from '../../common/auth/principal.js';
import { CurrentUser } from '../../common/decorators/current-user.decorator.js';
import { Roles } from '../../common/decorators/roles.decorator.js';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { type Page, PageQueryDto } from '../../common/pagination/page-query.dto.js';
import {
  ChangeRoleDto,
  ChangeStatusDto,
  ListUsersQueryDto,
  UserPageDto,
} from './dto/admin-user.dto.js';
import { type LoginHistoryEntryDto, LoginHistoryPageDto } from './dto/login-history-entry.dto.js';
import { UpdateProfileDto } from './dto/update-profile.dto.js';
import { UserResponseDto } from './dto/user-response.dto.js';
import { LoginHistoryService } from './login-history.service.js';
import { ProfileService } from './profile.service.js';
import { UserAdminService } from './user-admin.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/users')
export class UserController {
  constructor(
    private readonly profiles: ProfileService,
    private readonly loginHistory: LoginHistoryService,
    private readonly admin: UserAdminService,
  ) {}

  @Get('me')
  @ApiOkResponse({ type: UserResponseDto })
  @ApiProblems(401, 403)
  me(@CurrentUser() user: UserPrincipal): Promise<UserResponseDto> {
    return this.profiles.get(user.userId);
  }

  @Patch('me')
  @ApiOkResponse({ type: UserResponseDto })
  @ApiProblems(400, 401, 403, 409)
  update(
    @CurrentUser() user: UserPrincipal,
    @Body() body: UpdateProfileDto,
  ): Promise<UserResponseDto> {
    return this.profiles.update(user.userId, body);
  }

  @Get('me/preferences')
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: true } })
  @ApiProblems(401, 403)
  preferences(@CurrentUser() user: UserPrincipal): Promise<Record<string, unknown>> {
    return this.profiles.getPreferences(user.userId);
  }

  @Put('me/preferences')
  @ApiOperation({ summary: 'Replace the preferences: any JSON object up to 16 KiB' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: true } })
  @ApiProblems(400, 401, 403, 413)
  replacePreferences(
    @CurrentUser() user: UserPrincipal,
    @Body() body: unknown,
  ): Promise<Record<string, unknown>> {
    return this.profiles.replacePreferences(user.userId, body);
  }

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

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Platform admins: search users' })
  @ApiOkResponse({ type: UserPageDto })
  @ApiProblems(400, 401, 403)
  list(@Query() query: ListUsersQueryDto): Promise<Page<UserResponseDto>> {
    return this.admin.list(query);
  }

  @Patch(':id/role')
  @Roles('admin')
  @ApiOperation({ summary: "Platform admins: change a user's platform role (not their own)" })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiProblems(400, 401, 403, 404)
  changeRole(
    @CurrentUser() user: UserPrincipal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ChangeRoleDto,
  ): Promise<UserResponseDto> {
    return this.admin.changeRole({ type: 'USER', id: user.userId }, id, body.role);
  }

  @Patch(':id/status')
  @Roles('admin')
  @ApiOperation({
    summary: 'Platform admins: suspend (with a reason; sessions end at once) or reactivate',
  })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiProblems(400, 401, 403, 404)
  changeStatus(
    @CurrentUser() user: UserPrincipal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ChangeStatusDto,
  ): Promise<UserResponseDto> {
    return this.admin.changeStatus(user.userId, id, body);
  }
}
