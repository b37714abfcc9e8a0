import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsISO8601,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { PageMetaDto } from '../../../common/pagination/page-meta.dto.js';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import { DisputedPurchaseDto } from '../../billing/dto/billing-account.dto.js';
import { OrganizationResponseDto } from '../../tenant/dto/organization-response.dto.js';
import { SubscriptionResponseDto } from '../../subscription/dto/subscription-response.dto.js';
import { RequiredReasonDto } from './admin-operations.dto.js';
import { IsOmittable } from '../../../common/decorators/omittable.decorator.js';

export class AdminStatsDto {
  @ApiProperty({ example: { total: 3, byStatus: { active: 3 }, byRole: { user: 2, admin: 1 } } })
  users!: { total: number; byStatus: Record<string, number>; byRole: Record<string, number> };
  @ApiProperty({ example: { total: 2 } }) organizations!: { total: number };
  @ApiProperty({ example: { byStatus: { active: 1 }, byTier: { pro: 1 } } })
  subscriptions!: { byStatus: Record<string, number>; byTier: Record<string, number> };
  @ApiProperty({ example: { byStatus: { processed: 10 } } })
  webhookEvents!: { byStatus: Record<string, number> };
  @ApiProperty({ example: { creditsSold: 5500, creditsUsed: 120 } })
  credits!: { creditsSold: number; creditsUsed: number };
}

export class AdminOrganizationQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Part of the name or slug' })
  @IsOmittable()
  @IsString()
  @MaxLength(100)
  search?: string;
}

export class AdminOrganizationPageDto {
  @ApiProperty({ type: [OrganizationResponseDto] }) data!: OrganizationResponseDto[];
  @ApiProperty({ type: PageMetaDto }) meta!: PageMetaDto;
}

export class AdminSubscriptionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['trialing', 'active', 'past_due', 'canceled', 'expired'] })
  @IsOmittable()
  @IsIn(['trialing', 'active', 'past_due', 'canceled', 'expired'])
  status?: string;

  @ApiPropertyOptional({ example: 'pro' })
  @IsOmittable()
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, { message: 'tier must be a tier key' })
  tier?: string;

  @ApiPropertyOptional({
    description: 'Only subscriptions flagged for operators (true) or only unflagged ones (false)',
  })
  @IsOmittable()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  flagged?: boolean;
}

export class AdminDisputeQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'won', 'lost'], description: 'All disputes when absent' })
  @IsOmittable()
  @IsIn(['open', 'won', 'lost'])
  status?: 'open' | 'won' | 'lost';
}

export class AdminDisputePageDto {
  @ApiProperty({ type: [DisputedPurchaseDto] }) data!: DisputedPurchaseDto[];
  @ApiProperty({ type: PageMetaDto }) meta!: PageMetaDto;
}

class PaymentFailureDto {
  @ApiProperty() invoiceId!: string;
  @ApiProperty({ description: "Stripe's count of payment attempts" }) attemptCount!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextAttemptAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The decline, as Stripe reported it' })
  reason!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) failedAt!: string;
}

export class AdminSubscriptionDto extends SubscriptionResponseDto {
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ example: 'sub_1Pgc7AB7WZ01zgkW' }) stripeSubscriptionId!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why operators must look: a price outside the catalog, a second live subscription',
  })
  flaggedReason!: string | null;
  @ApiProperty({ type: PaymentFailureDto, nullable: true })
  lastPaymentFailure!: PaymentFailureDto | null;
}

export class GracePeriodDto extends RequiredReasonDto {
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'The new end of the grace period; null ends it now (a past-due subscription expires)',
  })
  @ValidateIf((_, value) => value !== null)
  @IsISO8601({ strict: true })
  gracePeriodEnd!: string | null;
}

export class AdminSubscriptionPageDto {
  @ApiProperty({ type: [AdminSubscriptionDto] }) data!: AdminSubscriptionDto[];
  @ApiProperty({ type: PageMetaDto }) meta!: PageMetaDto;
}

export class CreateOperatorSubscriptionDto extends RequiredReasonDto {
  @ApiProperty({ format: 'uuid' })
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
    message: 'organizationId must be a UUID',
  })
  organizationId!: string;

  @ApiProperty({ example: 'app' })
  @IsString()
  @MaxLength(64)
  productKey!: string;

  @ApiProperty({ example: 'pro' })
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, { message: 'tier must be a tier key' })
  tier!: string;

  @ApiProperty({ enum: ['monthly', 'yearly'] })
  @IsIn(['monthly', 'yearly'])
  billingCycle!: 'monthly' | 'yearly';
}

export class OrganizationSyncDto {
  @ApiProperty() checked!: number;
  @ApiProperty() corrected!: number;
  @ApiProperty({
    example: [{ stripeSubscriptionId: 'sub_…', fields: ['status'] }],
    description: 'What differed from Stripe and was corrected',
  })
  drift!: { stripeSubscriptionId: string; fields: string[] }[];
}
