import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { REGIONS, type Region } from '../tenant.types.js';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class CreateOrganizationDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Acme Inc.' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ enum: REGIONS, default: 'US' })
  @IsOptional()
  @IsIn(REGIONS)
  region?: Region;
}

export class UpdateOrganizationDto extends PartialType(CreateOrganizationDto) {}
