import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
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
import {
  AcceptInvitationDto,
  CreateInvitationDto,
  InvitationResponseDto,
} from './dto/invitation.dto.js';
import { MembershipResponseDto } from './dto/member.dto.js';
import { InvitationService } from './invitation.service.js';

@ApiTags('organizations')
@ApiBearerAuth()
@Controller('v1/organizations/:orgId/invitations')
export class InvitationController {
  constructor(private readonly invitations: InvitationService) {}

  @Post()
  @OrgRole('admin')
  @ApiOperation({
    summary: 'Invite someone by email (7 days, single use); replaces a pending invitation',
  })
  @ApiCreatedResponse({ type: InvitationResponseDto })
  @ApiProblems(400, 401, 403, 404, 409)
  create(
    @CurrentUser() user: UserPrincipal,
    @Org() org: OrgContext,
    @Body() body: CreateInvitationDto,
  ): Promise<InvitationResponseDto> {
    return this.invitations.invite(
      { userId: user.userId, role: org.role! },
      org.organizationId,
      body,
    );
  }

  @Get()
  @OrgRole('admin')
  @ApiOkResponse({ type: [InvitationResponseDto] })
  @ApiProblems(401, 403, 404)
  list(@Param('orgId', ParseUUIDPipe) orgId: string): Promise<InvitationResponseDto[]> {
    return this.invitations.listPending(orgId);
  }

  @Delete(':invitationId')
  @OrgRole('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiProblems(401, 403, 404)
  revoke(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Param('invitationId', ParseUUIDPipe) invitationId: string,
  ): Promise<void> {
    return this.invitations.revoke(orgId, invitationId);
  }
}

@ApiTags('organizations')
@ApiBearerAuth()
@Controller('v1/invitations')
export class InvitationAcceptanceController {
  constructor(private readonly invitations: InvitationService) {}

  @Post('accept')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Join an organization with the token from the invitation mail' })
  @ApiOkResponse({ type: MembershipResponseDto })
  @ApiProblems(400, 401, 403, 409)
  accept(
    @CurrentUser() user: UserPrincipal,
    @Body() body: AcceptInvitationDto,
  ): Promise<MembershipResponseDto> {
    return this.invitations.accept(user.userId, body.token);
  }
}
