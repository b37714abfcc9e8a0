import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../../common/pagination/page-meta.dto.js';
import { MEMBER_ROLES, REGIONS, type MemberRole, type Region } from '../tenant.types.js';

export class OrganizationResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: "Ada's workspace" }) name!: string;
  @ApiProperty({ example: 'ada-s-workspace' }) slug!: string;
  @ApiProperty({ enum: REGIONS }) region!: Region;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
}

/** An organization as one of its members sees it. */
export class MemberOrganizationDto extends OrganizationResponseDto {
  @ApiProperty({ enum: MEMBER_ROLES, description: "The caller's role" }) role!: MemberRole;
}

export class OrganizationPageDto {
  @ApiProperty({ type: [MemberOrganizationDto] }) data!: MemberOrganizationDto[];
  @ApiProperty({ type: PageMetaDto }) meta!: PageMetaDto;
}
