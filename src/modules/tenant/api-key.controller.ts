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
import { OrgRole } from '../../common/decorators/org-role.decorator.js';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { ApiKeyService } from './api-key.service.js';
import { ApiKeyResponseDto, CreateApiKeyDto, CreatedApiKeyResponseDto } from './dto/api-key.dto.js';

@ApiTags('organizations')
@ApiBearerAuth()
@OrgRole('admin')
@Controller('v1/organizations/:orgId/api-keys')
export class ApiKeyController {
  constructor(private readonly keys: ApiKeyService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key; the key is shown only in this response' })
  @ApiCreatedResponse({ type: CreatedApiKeyResponseDto })
  @ApiProblems(400, 401, 403, 404)
  create(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyResponseDto> {
    return this.keys.create(user.userId, orgId, body);
  }

  @Get()
  @ApiOkResponse({ type: [ApiKeyResponseDto] })
  @ApiProblems(401, 403, 404)
  list(@Param('orgId', ParseUUIDPipe) orgId: string): Promise<ApiKeyResponseDto[]> {
    return this.keys.list(orgId);
  }

  @Delete(':keyId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke a key: it answers 401 from the next request on' })
  @ApiNoContentResponse()
  @ApiProblems(401, 403, 404)
  revoke(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Param('keyId', ParseUUIDPipe) keyId: string,
  ): Promise<void> {
    return this.keys.revoke(user.userId, orgId, keyId);
  }
}
