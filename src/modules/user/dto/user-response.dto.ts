import { ApiProperty } from '@nestjs/swagger';
import type { PlatformRole } from '../../../common/auth/principal.js';
import type { UserStatus } from '../entities/user.entity.js';

export class UserResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'ada@example.com' }) email!: string;
  @ApiProperty() emailVerified!: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'ada_l' }) username!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Ada Lovelace' }) fullName!: string | null;
  @ApiProperty({ type: String, nullable: true }) bio!: string | null;
  @ApiProperty({ type: String, nullable: true }) avatarUrl!: string | null;
  @ApiProperty({ enum: ['user', 'admin'] }) role!: PlatformRole;
  @ApiProperty({ enum: ['active', 'suspended'] }) status!: UserStatus;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
}
