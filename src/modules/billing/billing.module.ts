import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { IntentModule } from '../intent/intent.module.js';
import { StripeModule } from '../stripe/stripe.module.js';
import { SubscriptionModule } from '../subscription/subscription.module.js';
import { TenantModule } from '../tenant/tenant.module.js';
import { UserModule } from '../user/user.module.js';
import { WalletModule } from '../wallet/wallet.module.js';
import { BillingAccountController } from './billing-account.controller.js';
import { BillingCatalogController } from './billing-catalog.controller.js';
import { BillingCatalogService } from './billing-catalog.service.js';
import { BillingCustomerRepository } from './billing-customer.repository.js';
import { BillingCustomerService } from './billing-customer.service.js';
import { CheckoutExpiryService } from './checkout-expiry.service.js';
import { CheckoutStatusController } from './checkout-status.controller.js';
import { CheckoutStatusService } from './checkout-status.service.js';
import { CheckoutController } from './checkout.controller.js';
import { CheckoutService } from './checkout.service.js';
import { BillingCustomer } from './entities/billing-customer.entity.js';
import { CreditPurchase } from './entities/credit-purchase.entity.js';
import { InvoiceService } from './invoice.service.js';
import { PaymentMethodService } from './payment-method.service.js';
import { PurchaseRepository } from './purchase.repository.js';
import { PurchaseService } from './purchase.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([BillingCustomer, CreditPurchase]),
    AuditModule,
    CatalogModule,
    IntentModule,
    StripeModule,
    SubscriptionModule,
    TenantModule,
    UserModule,
    WalletModule,
  ],
  controllers: [
    BillingCatalogController,
    CheckoutController,
    CheckoutStatusController,
    BillingAccountController,
  ],
  providers: [
    CheckoutExpiryService,
    BillingCatalogService,
    BillingCustomerRepository,
    BillingCustomerService,
    CheckoutService,
    CheckoutStatusService,
    PurchaseRepository,
    PurchaseService,
    PaymentMethodService,
    InvoiceService,
  ],
  exports: [BillingCustomerService, PurchaseService, CheckoutExpiryService],
})
export class BillingModule {}
