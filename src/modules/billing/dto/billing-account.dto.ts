import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUrl, Matches, MaxLength } from 'class-validator';

export class PaymentMethodDto {
  @ApiProperty({ example: 'pm_1Q0PsIJvEtkwdCNYMSaVuRz6' }) id!: string;
  @ApiProperty({ example: 'card' }) type!: string;
  @ApiProperty({ type: String, nullable: true, example: 'visa' }) brand!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '4242' }) last4!: string | null;
  @ApiProperty({ type: Number, nullable: true }) expMonth!: number | null;
  @ApiProperty({ type: Number, nullable: true }) expYear!: number | null;
  @ApiProperty() isDefault!: boolean;
}

export class PaymentMethodIdDto {
  @ApiProperty({ example: 'pm_1Q0PsIJvEtkwdCNYMSaVuRz6' })
  @IsString()
  @Matches(/^pm_[A-Za-z0-9_]{1,250}$/, {
    message: 'paymentMethodId must be a Stripe payment method id (pm_…)',
  })
  paymentMethodId!: string;
}

export class InvoiceDto {
  @ApiProperty({ example: 'in_1MtHbELkdIwHu7ixl4OzzPMv' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) number!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['draft', 'open', 'paid', 'uncollectible', 'void'],
  })
  status!: string | null;
  @ApiProperty({ description: 'Integer minor units' }) total!: number;
  @ApiProperty() amountDue!: number;
  @ApiProperty() amountPaid!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ type: String, nullable: true }) hostedInvoiceUrl!: string | null;
  @ApiProperty({ type: String, nullable: true }) invoicePdf!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: "Stripe's count of payment attempts" }) attemptCount!: number;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When Stripe tries to collect again (an open invoice whose payment failed)',
  })
  nextPaymentAttempt!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the last payment of this invoice was declined, as Stripe reported it',
    example: 'insufficient_funds: Your card has insufficient funds.',
  })
  lastPaymentError!: string | null;
}

export class PurchaseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'growth' }) packKey!: string;
  @ApiProperty() credits!: number;
  @ApiProperty() bonusCredits!: number;
  @ApiProperty({ description: 'Integer minor units' }) unitAmount!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({
    enum: ['pending', 'processing', 'paid', 'expired', 'failed', 'refunded'],
    description: '`processing`: the session completed and awaits an asynchronous payment',
  })
  status!: string;
  @ApiProperty({ description: 'Integer minor units refunded so far' }) refundedAmount!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) paidAt!: string | null;
}

/** A purchase under dispute, or whose dispute was decided: what operators follow up. */
export class DisputedPurchaseDto extends PurchaseDto {
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ example: 'dp_1PgafuB7WZ01zgkW' }) stripeDisputeId!: string;
  @ApiProperty({ enum: ['open', 'won', 'lost'] }) disputeStatus!: string;
  @ApiProperty({ description: 'Credits frozen while the dispute is open' }) frozenCredits!: number;
  @ApiProperty({ description: 'Credits taken back by refunds and a lost dispute' })
  refundedCredits!: number;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
}

export class PortalRequestDto {
  @ApiProperty({ example: 'https://app.example.com/billing' })
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'returnUrl must be an http(s) URL' },
  )
  @MaxLength(2048)
  returnUrl!: string;
}

export class PortalResponseDto {
  @ApiProperty({ description: "Stripe's customer portal for this organization" }) url!: string;
}
