import { ApiProperty } from '@nestjs/swagger';
import { OrganizationResponseDto } from '../../tenant/dto/organization-response.dto.js';
import { UserOrganizationDto } from '../../tenant/dto/user-organization.dto.js';
import { UserResponseDto } from '../../user/dto/user-response.dto.js';
import { TokenResponseDto } from './token-response.dto.js';

export class RegisterResponseDto {
  @ApiProperty({ type: UserResponseDto }) user!: UserResponseDto;
  @ApiProperty({ type: TokenResponseDto }) tokens!: TokenResponseDto;
  @ApiProperty({
    type: OrganizationResponseDto,
    description: 'The personal organization, owned by the user',
  })
  organization!: OrganizationResponseDto;
}

export class LoginResponseDto {
  @ApiProperty({ type: UserResponseDto }) user!: UserResponseDto;
  @ApiProperty({ type: TokenResponseDto }) tokens!: TokenResponseDto;
}

export class RefreshResponseDto {
  @ApiProperty({ type: TokenResponseDto }) tokens!: TokenResponseDto;
}

export class MeResponseDto {
  @ApiProperty({ type: UserResponseDto }) user!: UserResponseDto;
  @ApiProperty({ type: [UserOrganizationDto] }) organizations!: UserOrganizationDto[];
}
