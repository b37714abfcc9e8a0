import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, Length } from 'class-validator';
import { REGIONS, type Region } from '../tenant.types.js';
import { IsOmittable } from '../../../common/decorators/omittable.decorator.js';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class CreateOrganizationDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Acme Inc.' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ enum: REGIONS, default: 'US' })
  @IsOmittable()
  @IsIn(REGIONS)
  region?: Region;
}

/** Fields left out stay as they are; neither may be null. (PartialType would let null through.) */
export class UpdateOrganizationDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, example: 'Acme Inc.' })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ enum: REGIONS })
  @IsOmittable()
  @IsIn(REGIONS)
  region?: Region;
}
