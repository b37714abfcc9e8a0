import { ApiProperty } from '@nestjs/swagger';

class PendingChangeDto {
  @ApiProperty() tier!: string;
  @ApiProperty({ enum: ['monthly', 'yearly'] }) billingCycle!: string;
  @ApiProperty({ type: String, format: 'date-time' }) effectiveAt!: string;
}

export class SubscriptionResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'app' }) productKey!: string;
  @ApiProperty({ example: 'standard' }) tier!: string;
  @ApiProperty({ enum: ['monthly', 'yearly'] }) billingCycle!: string;
  @ApiProperty({ enum: ['trialing', 'active', 'past_due', 'canceled', 'expired'] }) status!: string;
  @ApiProperty({ example: 'US' }) region!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) currentPeriodEnd!:
    string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) trialEnd!: string | null;
  @ApiProperty() cancelAtPeriodEnd!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) gracePeriodEnd!:
    string | null;
  @ApiProperty({ type: PendingChangeDto, nullable: true }) pendingChange!: PendingChangeDto | null;
  @ApiProperty({
    description: 'Whether the subscription grants its tier right now (DESIGN principle 6)',
  })
  isActive!: boolean;
}
