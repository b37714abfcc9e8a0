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
  Post,
  Query,
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
import { OrgRole } from '../../common/decorators/org-role.decorator.js';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { type Page, PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { CreateOrganizationDto, UpdateOrganizationDto } from './dto/organization-request.dto.js';
import {
  type MemberOrganizationDto,
  OrganizationPageDto,
  OrganizationResponseDto,
} from './dto/organization-response.dto.js';
import { OrganizationService } from './organization.service.js';

@ApiTags('organizations')
@ApiBearerAuth()
@Controller('v1/organizations')
export class OrganizationController {
  constructor(private readonly organizations: OrganizationService) {}

  @Post()
  @ApiOperation({ summary: 'Create an organization; the caller becomes its owner' })
  @ApiCreatedResponse({ type: OrganizationResponseDto })
  @ApiProblems(400, 401)
  create(
    @CurrentUser() user: UserPrincipal,
    @Body() body: CreateOrganizationDto,
  ): Promise<OrganizationResponseDto> {
    return this.organizations.create(user.userId, body);
  }

  @Get()
  @ApiOperation({ summary: 'The organizations the caller belongs to, with the caller’s role' })
  @ApiOkResponse({ type: OrganizationPageDto })
  @ApiProblems(400, 401)
  list(
    @CurrentUser() user: UserPrincipal,
    @Query() query: PageQueryDto,
  ): Promise<Page<MemberOrganizationDto>> {
    return this.organizations.listForMember(user.userId, query);
  }

  @Get(':orgId')
  @OrgRole('member')
  @ApiOkResponse({ type: OrganizationResponseDto })
  @ApiProblems(401, 404)
  get(@Param('orgId', ParseUUIDPipe) orgId: string): Promise<OrganizationResponseDto> {
    return this.organizations.get(orgId);
  }

  @Patch(':orgId')
  @OrgRole('admin')
  @ApiOkResponse({ type: OrganizationResponseDto })
  @ApiProblems(400, 401, 403, 404)
  update(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Body() body: UpdateOrganizationDto,
  ): Promise<OrganizationResponseDto> {
    return this.organizations.update(user.userId, orgId, body);
  }

  @Delete(':orgId')
  @OrgRole('owner')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiProblems(401, 403, 404)
  delete(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId', ParseUUIDPipe) orgId: string,
  ): Promise<void> {
    return this.organizations.delete(user.userId, orgId);
  }
}
