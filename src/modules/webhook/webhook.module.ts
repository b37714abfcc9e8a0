import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { BillingModule } from '../billing/billing.module.js';
import { IntentModule } from '../intent/intent.module.js';
import { StripeModule } from '../stripe/stripe.module.js';
import { MailModule } from '../mail/mail.module.js';
import { SubscriptionModule } from '../subscription/subscription.module.js';
import { TenantModule } from '../tenant/tenant.module.js';
import { UserModule } from '../user/user.module.js';
import { WalletModule } from '../wallet/wallet.module.js';
import { StripeEvent } from './entities/stripe-event.entity.js';
import { ChargeRefundedHandler } from './handlers/charge-refunded.handler.js';
import { CheckoutCompletedHandler } from './handlers/checkout-completed.handler.js';
import { CheckoutExpiredHandler } from './handlers/checkout-expired.handler.js';
import { DisputeHandler } from './handlers/dispute.handler.js';
import { SubscriptionEventsHandler } from './handlers/subscription-events.handler.js';
import { TrialWillEndHandler } from './handlers/trial-will-end.handler.js';
import { StripeEventRepository } from './stripe-event.repository.js';
import { StripeWebhookController } from './stripe-webhook.controller.js';
import { StripeWebhookService } from './stripe-webhook.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([StripeEvent]),
    StripeModule,
    BillingModule,
    IntentModule,
    SubscriptionModule,
    WalletModule,
    UserModule,
    TenantModule,
    MailModule,
    AuditModule,
  ],
  controllers: [StripeWebhookController],
  providers: [
    StripeEventRepository,
    StripeWebhookService,
    ChargeRefundedHandler,
    CheckoutCompletedHandler,
    CheckoutExpiredHandler,
    DisputeHandler,
    SubscriptionEventsHandler,
    TrialWillEndHandler,
  ],
  exports: [StripeWebhookService],
})
export class WebhookModule {}
