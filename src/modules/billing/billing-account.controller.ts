import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { UserPrincipal } from '../../common/auth/principal.js';
import { CurrentUser } from '../../common/decorators/current-user.decorator.js';
import { OrgRole } from '../../common/decorators/org-role.decorator.js';
import { DomainError } from '../../common/errors/index.js';
import { ApiProblems } from '../../common/http/api-problems.decorator.js';
import { ParseStripeIdPipe } from '../../common/pipes/stripe-id.pipe.js';
import { BillingCustomerService } from './billing-customer.service.js';
import {
  InvoiceDto,
  PaymentMethodDto,
  PaymentMethodIdDto,
  PortalRequestDto,
  PortalResponseDto,
  PurchaseDto,
} from './dto/billing-account.dto.js';
import { InvoiceService } from './invoice.service.js';
import { PaymentMethodService } from './payment-method.service.js';
import { PurchaseService } from './purchase.service.js';

const PM_ID = /^pm_[A-Za-z0-9_]{1,250}$/;

/** The organization's billing account at Stripe: payment methods, invoices, receipts, portal. */
@ApiTags('billing')
@ApiBearerAuth()
@Controller('v1/organizations/:orgId')
export class BillingAccountController {
  constructor(
    private readonly paymentMethods: PaymentMethodService,
    private readonly invoices: InvoiceService,
    private readonly purchases: PurchaseService,
    private readonly customers: BillingCustomerService,
  ) {}

  @Get('payment-methods')
  @OrgRole('billing')
  @ApiOkResponse({ type: [PaymentMethodDto] })
  @ApiProblems(401, 403, 404, 503)
  listPaymentMethods(@Param('orgId', ParseUUIDPipe) orgId: string): Promise<PaymentMethodDto[]> {
    return this.paymentMethods.list(orgId);
  }

  @Post('payment-methods')
  @OrgRole('billing')
  @ApiOperation({ summary: 'Attach a payment method collected with Stripe.js' })
  @ApiOkResponse({ type: PaymentMethodDto })
  @ApiProblems(400, 401, 403, 404, 503)
  attach(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Body() body: PaymentMethodIdDto,
  ): Promise<PaymentMethodDto> {
    return this.paymentMethods.attach(user.userId, orgId, body.paymentMethodId);
  }

  @Put('payment-methods/default')
  @OrgRole('billing')
  @ApiOkResponse({ type: PaymentMethodDto })
  @ApiProblems(400, 401, 403, 404, 503)
  setDefault(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Body() body: PaymentMethodIdDto,
  ): Promise<PaymentMethodDto> {
    return this.paymentMethods.setDefault(orgId, body.paymentMethodId);
  }

  @Delete('payment-methods/:pmId')
  @OrgRole('billing')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiProblems(401, 403, 404, 503)
  detach(@Param('orgId', ParseUUIDPipe) orgId: string, @Param('pmId') pmId: string): Promise<void> {
    if (!PM_ID.test(pmId)) return Promise.reject(notFound());
    return this.paymentMethods.detach(orgId, pmId);
  }

  @Get('invoices')
  @OrgRole('billing')
  @ApiOkResponse({ type: [InvoiceDto] })
  @ApiProblems(401, 403, 404, 503)
  listInvoices(@Param('orgId', ParseUUIDPipe) orgId: string): Promise<InvoiceDto[]> {
    return this.invoices.list(orgId);
  }

  @Get('invoices/:invoiceId')
  @OrgRole('billing')
  @ApiOkResponse({ type: InvoiceDto })
  @ApiProblems(400, 401, 403, 404, 503)
  getInvoice(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Param('invoiceId', new ParseStripeIdPipe('in')) invoiceId: string,
  ): Promise<InvoiceDto> {
    return this.invoices.get(orgId, invoiceId);
  }

  @Get('purchases')
  @OrgRole('member')
  @ApiOkResponse({ type: [PurchaseDto] })
  @ApiProblems(401, 404)
  listPurchases(@Param('orgId', ParseUUIDPipe) orgId: string): Promise<PurchaseDto[]> {
    return this.purchases.list(orgId);
  }

  @Get('purchases/:purchaseId/receipt.pdf')
  @OrgRole('member')
  @Header('Content-Type', 'application/pdf')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'PDF receipt of a paid purchase' })
  @ApiProblems(401, 404)
  async receipt(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Param('purchaseId', ParseUUIDPipe) purchaseId: string,
  ): Promise<StreamableFile> {
    const pdf = await this.purchases.receipt(orgId, purchaseId);
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="receipt-${purchaseId}.pdf"`,
    });
  }

  @Post('billing-portal')
  @OrgRole('billing')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "A link to Stripe's customer portal for this organization" })
  @ApiOkResponse({ type: PortalResponseDto })
  @ApiProblems(400, 401, 403, 404, 503)
  portal(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Body() body: PortalRequestDto,
  ): Promise<PortalResponseDto> {
    return this.customers.portal(user.userId, orgId, body.returnUrl);
  }
}

function notFound() {
  return new DomainError('NOT_FOUND', 'No such payment method');
}
