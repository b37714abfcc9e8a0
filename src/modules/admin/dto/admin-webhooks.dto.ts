import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { PageMetaDto } from '../../../common/pagination/page-meta.dto.js';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import type { StripeEventStatus } from '../../webhook/stripe-webhook.service.js';
import { IsOmittable } from '../../../common/decorators/omittable.decorator.js';

export class RetryWebhookDto {
  @ApiProperty({ example: 'evt_1Nv…' })
  @Matches(/^evt_[A-Za-z0-9_]{1,250}$/, { message: 'eventId must be a Stripe event id (evt_…)' })
  eventId!: string;

  @ApiProperty({ required: false, description: 'Why, for the audit log' })
  @IsOmittable()
  @IsString()
  @Length(1, 500)
  reason?: string;

  @ApiProperty({ required: false, description: 'The support ticket, for the audit log' })
  @IsOmittable()
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

export class ListWebhookEventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['received', 'processed', 'failed', 'ignored'] })
  @IsOmittable()
  @IsIn(['received', 'processed', 'failed', 'ignored'])
  status?: StripeEventStatus;

  @ApiPropertyOptional({ example: 'charge.dispute.created' })
  @IsOmittable()
  @Matches(/^[a-z_.]{1,100}$/, { message: 'type must be a Stripe event type' })
  type?: string;
}

export class WebhookEventDto {
  @ApiProperty() id!: string;
  @ApiProperty() type!: string;
  @ApiProperty({ enum: ['received', 'processed', 'failed', 'ignored'] }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ description: "Stripe's `created`, as a date", format: 'date-time' })
  created!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) processedAt!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "The event's object" })
  object!: Record<string, unknown>;
}

export class WebhookEventPageDto {
  @ApiProperty({ type: [WebhookEventDto] }) data!: WebhookEventDto[];
  @ApiProperty({ type: PageMetaDto }) meta!: PageMetaDto;
}
