import { ApiProperty } from '@nestjs/swagger';
import { REGIONS, type Region } from '../tenant.types.js';

export class OrganizationResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: "Ada's workspace" }) name!: string;
  @ApiProperty({ example: 'ada-s-workspace' }) slug!: string;
  @ApiProperty({ enum: REGIONS }) region!: Region;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
}
