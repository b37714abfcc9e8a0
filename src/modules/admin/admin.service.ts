import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DomainError } from '../../common/errors/index.js';
import { operationsConfig } from '../../config/operations.config.js';
import type { AuditContext } from '../audit/audit.types.js';
import { ReconciliationService, type OrganizationSync } from '../jobs/reconciliation.service.js';
import type { SubscriptionResponseDto } from '../subscription/dto/subscription-response.dto.js';
import {
  OperatorSubscriptionService,
  type OperatorSubscription,
} from '../subscription/operator-subscription.service.js';
import { SubscriptionService } from '../subscription/subscription.service.js';
import { TenantService } from '../tenant/tenant.service.js';
import { UserService } from '../user/user.service.js';
import { WalletService } from '../wallet/wallet.service.js';
import { StripeWebhookService } from '../webhook/stripe-webhook.service.js';
import type { AdminStatsDto } from './dto/admin-overview.dto.js';

/** What the operators' API needs beyond one other service's call. */
@Injectable()
export class AdminService {
  constructor(
    private readonly users: UserService,
    private readonly tenants: TenantService,
    private readonly subscriptions: SubscriptionService,
    private readonly operatorSubscriptions: OperatorSubscriptionService,
    private readonly webhooks: StripeWebhookService,
    private readonly wallets: WalletService,
    private readonly reconciliation: ReconciliationService,
    @Inject(operationsConfig.KEY) private readonly config: ConfigType<typeof operationsConfig>,
  ) {}

  async stats(): Promise<AdminStatsDto> {
    const users = await this.users.stats();
    return {
      users: { total: sum(users.byStatus), ...users },
      organizations: { total: await this.tenants.countOrganizations() },
      subscriptions: await this.subscriptions.stats(),
      webhookEvents: { byStatus: await this.webhooks.countByStatus() },
      credits: await this.wallets.creditTotals(),
    };
  }

  /** Only in maintenance mode: a subscription written without Stripe. */
  createSubscription(
    input: OperatorSubscription,
    audit: AuditContext,
  ): Promise<SubscriptionResponseDto> {
    if (!this.config.maintenanceMode) {
      throw new DomainError(
        'MAINTENANCE_MODE_REQUIRED',
        'Writing subscriptions by hand needs ADMIN_MAINTENANCE_MODE=true',
      );
    }
    return this.operatorSubscriptions.create(input, audit);
  }

  syncOrganization(organizationId: string, audit: AuditContext): Promise<OrganizationSync> {
    return this.reconciliation.syncOrganization(organizationId, {
      ...audit,
      cause: 'operator:sync',
      auditUnchanged: true,
    });
  }
}

const sum = (counts: Record<string, number>): number =>
  Object.values(counts).reduce((total, count) => total + count, 0);
