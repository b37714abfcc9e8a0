import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUrl, MaxLength } from 'class-validator';
import { BILLING_CYCLES, REGION_CODES } from '../../catalog/catalog.schema.js';
import { IsOmittable } from '../../../common/decorators/omittable.decorator.js';

const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

class CheckoutUrlsDto {
  @ApiProperty({
    example: 'https://app.example.com/billing/success?session_id={CHECKOUT_SESSION_ID}',
  })
  @IsUrl(URL_OPTIONS, { message: 'successUrl must be an http(s) URL' })
  @MaxLength(2048)
  successUrl!: string;

  @ApiProperty({ example: 'https://app.example.com/billing' })
  @IsUrl(URL_OPTIONS, { message: 'cancelUrl must be an http(s) URL' })
  @MaxLength(2048)
  cancelUrl!: string;

  @ApiPropertyOptional({ enum: REGION_CODES, description: "Defaults to the organization's region" })
  @IsOmittable()
  @IsIn(REGION_CODES)
  region?: (typeof REGION_CODES)[number];
}

export class SubscriptionCheckoutDto extends CheckoutUrlsDto {
  @ApiProperty({ enum: ['basic', 'standard', 'advanced', 'pro'] })
  @IsString()
  @MaxLength(32)
  tier!: string;

  @ApiProperty({ enum: BILLING_CYCLES })
  @IsIn(BILLING_CYCLES)
  billingCycle!: (typeof BILLING_CYCLES)[number];
}

export class CreditsCheckoutDto extends CheckoutUrlsDto {
  @ApiProperty({ example: 'growth' })
  @IsString()
  @MaxLength(32)
  packKey!: string;
}

export class CheckoutResponseDto {
  @ApiProperty({ format: 'uuid' }) intentId!: string;
  @ApiProperty({ example: 'cs_test_a1b2c3' }) sessionId!: string;
  @ApiProperty({ description: 'Stripe Checkout page to send the customer to' }) url!: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: string;
}
