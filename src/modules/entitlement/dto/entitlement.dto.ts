import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { IsOmittable } from '../../../common/decorators/omittable.decorator.js';

export class FeatureUsageDto {
  @ApiProperty() isEnabled!: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'null: unlimited' }) limit!:
    number | null;
  @ApiProperty({ type: String, nullable: true }) unit!: string | null;
  @ApiProperty({ type: Number, nullable: true }) used!: number | null;
  @ApiProperty({ type: Number, nullable: true }) remaining!: number | null;
}

export class FeaturesDto {
  @ApiProperty({ example: 'standard' }) level!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/FeatureUsageDto' },
  })
  features!: Record<string, FeatureUsageDto>;
}

export class EntitlementCheckDto {
  @ApiProperty({ example: 'api_requests' })
  @Matches(/^[a-z][a-z0-9_]{0,63}$/, {
    message: 'feature must be a feature key such as api_requests',
  })
  feature!: string;

  @ApiProperty({ required: false, default: 1, minimum: 1 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  quantity?: number;
}

export class EntitlementCheckResultDto {
  @ApiProperty() allowed!: boolean;
  @ApiProperty({ type: Number, nullable: true }) limit!: number | null;
  @ApiProperty({ type: Number, nullable: true }) used!: number | null;
  @ApiProperty({ type: Number, nullable: true }) remaining!: number | null;
  @ApiProperty() level!: string;
  @ApiProperty({ format: 'date-time', description: 'When the level was read from the database' })
  asOf!: string;
  @ApiProperty({ enum: ['cache', 'database'] }) source!: 'cache' | 'database';
}

export class CacheInfoDto {
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() level!: string;
  @ApiProperty({ format: 'date-time' }) cachedAt!: string;
  @ApiProperty({ format: 'date-time' }) cacheValidUntil!: string;
}
