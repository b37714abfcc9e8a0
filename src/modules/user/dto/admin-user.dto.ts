import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import type { PlatformRole } from '../../../common/auth/principal.js';
import { PageMetaDto } from '../../../common/pagination/page-meta.dto.js';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import type { UserStatus } from '../entities/user.entity.js';
import { UserResponseDto } from './user-response.dto.js';
import { IsOmittable } from '../../../common/decorators/omittable.decorator.js';

export class ListUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Part of the email, username or full name' })
  @IsOmittable()
  @IsString()
  @MaxLength(100)
  search?: string;

  @ApiPropertyOptional({ enum: ['user', 'admin'] })
  @IsOmittable()
  @IsIn(['user', 'admin'])
  role?: PlatformRole;

  @ApiPropertyOptional({ enum: ['active', 'suspended'] })
  @IsOmittable()
  @IsIn(['active', 'suspended'])
  status?: UserStatus;
}

export class UserPageDto {
  @ApiProperty({ type: [UserResponseDto] }) data!: UserResponseDto[];
  @ApiProperty({ type: PageMetaDto }) meta!: PageMetaDto;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: ['user', 'admin'] })
  @IsIn(['user', 'admin'])
  role!: PlatformRole;
}

export class ChangeStatusDto {
  @ApiProperty({ enum: ['active', 'suspended'] })
  @IsIn(['active', 'suspended'])
  status!: UserStatus;

  @ApiPropertyOptional({
    description: 'Required when suspending; shown to the user',
    maxLength: 500,
  })
  @ValidateIf((dto: ChangeStatusDto) => dto.status === 'suspended' || dto.reason !== undefined)
  @IsString()
  @Length(3, 500, { message: 'reason must be 3 to 500 characters (required to suspend)' })
  reason?: string;
}
