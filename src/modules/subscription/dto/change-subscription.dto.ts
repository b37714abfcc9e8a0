import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { BILLING_CYCLES } from '../../catalog/catalog.schema.js';

export class ChangeSubscriptionDto {
  @ApiProperty({ enum: ['basic', 'standard', 'advanced', 'pro'] })
  @IsString()
  @MaxLength(32)
  tier!: string;

  @ApiProperty({ enum: BILLING_CYCLES })
  @IsIn(BILLING_CYCLES)
  billingCycle!: (typeof BILLING_CYCLES)[number];
}
