import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

export class RetryWebhookDto {
  @ApiProperty({ example: 'evt_1Nv…' })
  @Matches(/^evt_[A-Za-z0-9_]{1,250}$/, { message: 'eventId must be a Stripe event id (evt_…)' })
  eventId!: string;

  @ApiProperty({ required: false, description: 'Why, for the audit log' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;

  @ApiProperty({ required: false, description: 'The support ticket, for the audit log' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  ticketId?: string;
}

export class RetryWebhookResponseDto {
  @ApiProperty() eventId!: string;
  @ApiProperty({
    enum: ['processed', 'ignored', 'duplicate', 'failed'],
    description: '`duplicate`: the event had been applied already and was not applied again',
  })
  outcome!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Why it failed again' })
  error!: string | null;
}
