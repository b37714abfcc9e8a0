import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { UserPrincipal } from '../../common/auth/principal.js';
import { CurrentUser } from '../../common/decorators/current-user.decorator.js';
import { Org, type OrgContext } from '../../common/decorators/org-context.decorator.js';
import { OrgRole } from '../../common/decorators/org-role.decorator.js';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { MemberResponseDto, UpdateMemberDto } from './dto/member.dto.js';
import { type MemberActor, MembershipService } from './membership.service.js';

const actorOf = (user: UserPrincipal, org: OrgContext): MemberActor => ({
  userId: user.userId,
  role: org.role!,
});

@ApiTags('organizations')
@ApiBearerAuth()
@Controller('v1/organizations/:orgId/members')
export class MemberController {
  constructor(private readonly members: MembershipService) {}

  @Get()
  @OrgRole('member')
  @ApiOkResponse({ type: [MemberResponseDto] })
  @ApiProblems(401, 404)
  list(@Param('orgId', ParseUUIDPipe) orgId: string): Promise<MemberResponseDto[]> {
    return this.members.list(orgId);
  }

  @Patch(':userId')
  @OrgRole('admin')
  @ApiOperation({ summary: "Change a member's role (owners only for owner roles); 409 LAST_OWNER" })
  @ApiOkResponse({ type: MemberResponseDto })
  @ApiProblems(400, 401, 403, 404, 409)
  update(
    @CurrentUser() user: UserPrincipal,
    @Org() org: OrgContext,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Body() body: UpdateMemberDto,
  ): Promise<MemberResponseDto> {
    return this.members.changeRole(actorOf(user, org), org.organizationId, userId, body.role);
  }

  @Delete(':userId')
  @OrgRole('member')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a member (admins), or leave (anyone); 409 LAST_OWNER' })
  @ApiNoContentResponse()
  @ApiProblems(401, 403, 404, 409)
  remove(
    @CurrentUser() user: UserPrincipal,
    @Org() org: OrgContext,
    @Param('userId', ParseUUIDPipe) userId: string,
  ): Promise<void> {
    return this.members.remove(actorOf(user, org), org.organizationId, userId);
  }
}
