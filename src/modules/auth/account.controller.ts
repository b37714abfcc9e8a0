import { Body, Controller, Delete, HttpCode, HttpStatus, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { UserPrincipal } from '../../common/auth/principal.js';
import { CurrentUser } from '../../common/decorators/current-user.decorator.js';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { UserResponseDto } from '../user/dto/user-response.dto.js';
import { AccountService } from './account.service.js';
import { ChangeEmailDto, ChangePasswordDto, DeleteAccountDto } from './dto/account.dto.js';

/**
 * The credential side of /v1/users/me (profile and preferences live in the user module): these
 * need the password check and the sessions, which belong to auth.
 */
@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/users/me')
export class AccountController {
  constructor(private readonly accounts: AccountService) {}

  @Put('email')
  @ApiOperation({
    summary:
      'Change the email address (unverified until its link is used; the old address is told)',
  })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiProblems(400, 401, 403, 409)
  changeEmail(
    @CurrentUser() user: UserPrincipal,
    @Body() body: ChangeEmailDto,
  ): Promise<UserResponseDto> {
    return this.accounts.changeEmail(user, body);
  }

  @Put('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Change the password; every other session is signed out' })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403)
  changePassword(
    @CurrentUser() user: UserPrincipal,
    @Body() body: ChangePasswordDto,
  ): Promise<void> {
    return this.accounts.changePassword(user, body);
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'Delete the account (409 LAST_OWNER while the last owner of an organization with others)',
  })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 409)
  delete(@CurrentUser() user: UserPrincipal, @Body() body: DeleteAccountDto): Promise<void> {
    return this.accounts.deleteAccount(user, body.password);
  }
}
