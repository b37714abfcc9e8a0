import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsOmittable } from '../../../common/decorators/omittable.decorator.js';

export class RegionQueryDto {
  @ApiPropertyOptional({
    example: 'EU',
    description:
      "US, CA, EU, GB or AU; anything else falls back to the caller's organization's region, then US",
  })
  @IsOmittable()
  @IsString()
  @MaxLength(16)
  region?: string;
}

export class FeatureGrantDto {
  @ApiProperty() isEnabled!: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'null = unlimited' }) limit!:
    number | null;
  @ApiProperty({ type: String, nullable: true }) unit!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['day', 'month'] }) period!: string | null;
  @ApiProperty({ enum: ['metered', 'credits', 'seats', 'boolean'] }) kind!: string;
}

export class PlanDto {
  @ApiProperty({ example: 'app' }) productKey!: string;
  @ApiProperty({ enum: ['basic', 'standard', 'advanced', 'pro'] }) tier!: string;
  @ApiProperty({ enum: ['monthly', 'yearly'] }) billingCycle!: string;
  @ApiProperty({ example: 900, description: 'Integer minor units' }) unitAmount!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ type: Number, nullable: true, example: 14 }) trialDays!: number | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/FeatureGrantDto' },
  })
  features!: Record<string, FeatureGrantDto>;
}

export class PlansResponseDto {
  @ApiProperty({ example: 'US' }) region!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ type: [PlanDto] }) plans!: PlanDto[];
}

export class CreditPackDto {
  @ApiProperty({ example: 'growth' }) key!: string;
  @ApiProperty({ example: 5000 }) credits!: number;
  @ApiProperty({ example: 500 }) bonusCredits!: number;
  @ApiProperty({ example: 4499, description: 'Integer minor units' }) unitAmount!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
}
