import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';

export class CancelSubscriptionDto {
  @ApiProperty({ description: 'true: keep it until the period ends; false: end it now' })
  @IsBoolean()
  atPeriodEnd!: boolean;
}
