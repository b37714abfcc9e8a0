import { ApiProperty } from '@nestjs/swagger';
import { MEMBER_ROLES, type MemberRole } from '../tenant.types.js';

/** One organization the caller belongs to, with the caller's role in it. */
export class UserOrganizationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role!: MemberRole;
}
