import { Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { DomainError } from '../../common/errors/index.js';
import { isUniqueViolation } from '../../database/postgres-errors.js';
import { CatalogService } from '../catalog/catalog.service.js';
import type { Region } from '../catalog/catalog.schema.js';
import type { SubscriptionIntent } from '../intent/entities/subscription-intent.entity.js';
import { IntentNotPendingError } from '../intent/intent.errors.js';
import { IntentService, type IntentActor } from '../intent/intent.service.js';
import { StripeService } from '../stripe/stripe.service.js';
import { SubscriptionService } from '../subscription/subscription.service.js';
import { TenantService } from '../tenant/tenant.service.js';
import { UserService } from '../user/user.service.js';
import { BillingCustomerService } from './billing-customer.service.js';
import type {
  CheckoutResponseDto,
  CreditsCheckoutDto,
  SubscriptionCheckoutDto,
} from './dto/checkout.dto.js';
import { PurchaseRepository } from './purchase.repository.js';

/** Stripe refuses a session that expires sooner than 30 minutes from now. */
const MIN_SESSION_SECONDS = 31 * 60;

interface Target {
  kind: 'subscription' | 'credits';
  tier: string | null;
  billingCycle: string | null;
  packKey: string | null;
  region: Region;
  currency: string;
  unitAmount: number;
}

interface Buyer {
  userId: string;
  organization: { id: string; name: string; region: Region };
  idempotencyKey?: string;
  successUrl: string;
  cancelUrl: string;
}

const invalid = (field: string, message: string) =>
  new DomainError('VALIDATION_FAILED', `Invalid fields: ${field}`, {
    errors: [{ field, message }],
  });

/**
 * Starts a purchase: an intent first (so a failure leaves something retryable), then Stripe's
 * Checkout Session with the catalog price. The same Idempotency-Key, or a still-open intent for
 * the same purchase, returns the same session. Nothing here grants anything: that waits for
 * Stripe's webhook.
 */
@Injectable()
export class CheckoutService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly intents: IntentService,
    private readonly subscriptions: SubscriptionService,
    private readonly tenants: TenantService,
    private readonly users: UserService,
    private readonly customers: BillingCustomerService,
    private readonly purchases: PurchaseRepository,
    private readonly stripe: StripeService,
  ) {}

  async subscribe(
    userId: string,
    organizationId: string,
    input: SubscriptionCheckoutDto,
    idempotencyKey?: string,
  ) {
    const buyer = await this.buyer(userId, organizationId, input, idempotencyKey);
    const region = input.region ?? buyer.organization.region;
    const price = this.catalog.price(input.tier, input.billingCycle, region);
    if (!price) throw invalid('tier', `tier must be one of the tiers for sale`);
    const target: Target = {
      kind: 'subscription',
      tier: price.tier,
      billingCycle: price.billingCycle,
      packKey: null,
      region,
      currency: price.currency,
      unitAmount: price.unitAmount,
    };
    return this.start(buyer, target, async () => {
      if (await this.subscriptions.hasLiveSubscription(organizationId)) throw alreadySubscribed();
      return this.retireOtherSubscriptionCheckout(buyer, target);
    });
  }

  async buyCredits(
    userId: string,
    organizationId: string,
    input: CreditsCheckoutDto,
    idempotencyKey?: string,
  ) {
    const buyer = await this.buyer(userId, organizationId, input, idempotencyKey);
    const region = input.region ?? buyer.organization.region;
    const pack = this.catalog.creditPack(input.packKey, region);
    if (!pack) throw invalid('packKey', 'packKey must be one of the credit packs');
    const target: Target = {
      kind: 'credits',
      tier: null,
      billingCycle: null,
      packKey: pack.key,
      region,
      currency: pack.currency,
      unitAmount: pack.unitAmount,
    };
    return this.start(buyer, target, () => Promise.resolve(null));
  }

  private async start(
    buyer: Buyer,
    target: Target,
    /** Refuses by throwing; may hand back a pending intent of the same target to finish. */
    prepare: () => Promise<SubscriptionIntent | null>,
  ): Promise<CheckoutResponseDto> {
    const actor: IntentActor = { type: 'USER', id: buyer.userId };
    let intent = buyer.idempotencyKey
      ? await this.intents.findByIdempotencyKey(buyer.organization.id, buyer.idempotencyKey)
      : null;
    if (intent && !sameTarget(intent, target)) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used for another purchase',
      );
    }
    if (intent?.stripeSessionId) return toResponse(intent);
    if (intent && intent.status !== 'pending') throw new IntentNotPendingError(intent.status);
    if (!intent) {
      const open = await this.intents.findOpen({
        organizationId: buyer.organization.id,
        ...pick(target),
      });
      if (open && open.kind === 'credits') return toResponse(open);
      const reusable = await prepare();
      if (open) return toResponse(open);
      intent = reusable ?? (await this.createIntent(actor, buyer, target));
    }
    if (target.kind === 'credits') await this.recordPurchase(intent);
    const session = await this.createSession(buyer, intent, target);
    const updated = await this.attachSession(intent, session, actor);
    if (target.kind === 'credits') await this.purchases.attachSession(intent.id, session.id);
    return toResponse(updated);
  }

  /**
   * At most one subscription checkout can be paid (API.md): an organization's pending checkout
   * for another plan is retired first, its session expired at Stripe. When that session was paid
   * meanwhile, this checkout is refused: the subscription is on its way. A pending intent for
   * the same plan that never got its session (Stripe was down) is handed back to finish.
   */
  private async retireOtherSubscriptionCheckout(
    buyer: Buyer,
    target: Target,
  ): Promise<SubscriptionIntent | null> {
    const pending = await this.intents.findPendingSubscription(buyer.organization.id);
    if (!pending) return null;
    if (sameTarget(pending, target) && pending.expiresAt > new Date()) return pending;
    // Retired first, then its session expired as the written row names it: a session attached
    // concurrently is expired too, and the retired checkout expires one it attaches later.
    const retired = await this.intents.update(pending.id, actorOf(buyer), (current) => {
      if (current.status !== 'pending') throw new IntentNotPendingError(current.status);
      return { status: 'expired', failureReason: 'replaced by a checkout for another plan' };
    });
    await this.refuseIfPaid(retired);
    return null;
  }

  /**
   * Expires a retired intent's session at Stripe. When it was completed instead, its subscription
   * is on its way (or here): the new checkout is refused unless that subscription is known and no
   * longer live.
   */
  private async refuseIfPaid(intent: SubscriptionIntent): Promise<void> {
    const session = intent.stripeSessionId;
    if (!session || (await this.stripe.expireCheckoutSession(session))) return;
    const paid = await this.stripe.retrieveCheckoutSession(session);
    const subscriptionId =
      typeof paid.subscription === 'string' ? paid.subscription : paid.subscription?.id;
    const known =
      subscriptionId &&
      (await this.subscriptions.findByStripeId(intent.organizationId, subscriptionId));
    if (!known || known.isActive) throw alreadySubscribed();
  }

  /**
   * Links the session to its intent. When the intent was retired meanwhile (a concurrent
   * checkout for another plan), the session just made is expired at Stripe so it cannot be paid.
   */
  private async attachSession(
    intent: SubscriptionIntent,
    session: Stripe.Checkout.Session,
    actor: IntentActor,
  ): Promise<SubscriptionIntent> {
    try {
      return await this.intents.update(intent.id, actor, (current) => {
        if (current.status !== 'pending') throw new IntentNotPendingError(current.status);
        return { stripeSessionId: session.id, checkoutUrl: session.url };
      });
    } catch (error) {
      if (error instanceof IntentNotPendingError)
        await this.stripe.expireCheckoutSession(session.id);
      throw error;
    }
  }

  private async createIntent(
    actor: IntentActor,
    buyer: Buyer,
    target: Target,
  ): Promise<SubscriptionIntent> {
    try {
      return await this.intents.create(actor, {
        organizationId: buyer.organization.id,
        createdBy: buyer.userId,
        idempotencyKey: buyer.idempotencyKey ?? null,
        ...target,
      });
    } catch (error) {
      if (isUniqueViolation(error, 'uq_subscription_intents_one_pending'))
        throw new DomainError(
          'CONFLICT',
          'Another checkout for this organization is being started; try again',
        );
      // Two requests with one new key raced: the loser answers with the winner's intent.
      if (!buyer.idempotencyKey || !isUniqueViolation(error, 'uq_subscription_intents_idempotency'))
        throw error;
      const winner = await this.intents.findByIdempotencyKey(
        buyer.organization.id,
        buyer.idempotencyKey,
      );
      if (!winner) throw error;
      return winner;
    }
  }

  private async recordPurchase(intent: SubscriptionIntent): Promise<void> {
    const pack = this.catalog.creditPack(intent.packKey!, intent.region as Region)!;
    await this.purchases.recordOnce({
      organizationId: intent.organizationId,
      intentId: intent.id,
      packKey: pack.key,
      credits: pack.credits,
      bonusCredits: pack.bonusCredits,
      unitAmount: intent.unitAmount,
      currency: intent.currency,
    });
  }

  private async createSession(
    buyer: Buyer,
    intent: SubscriptionIntent,
    target: Target,
  ): Promise<Stripe.Checkout.Session> {
    const owner = await this.users.findAccountById(buyer.userId);
    const customer = await this.customers.ensure(buyer.organization, owner?.profile.email ?? '');
    const metadata = {
      organizationId: intent.organizationId,
      intentId: intent.id,
      kind: intent.kind,
      region: intent.region,
      ...(target.tier
        ? { tier: target.tier, billingCycle: target.billingCycle! }
        : { packKey: target.packKey! }),
    };
    const expiresAt = Math.max(
      Math.floor(intent.expiresAt.getTime() / 1000),
      Math.floor(Date.now() / 1000) + MIN_SESSION_SECONDS,
    );
    const base = {
      customer,
      client_reference_id: intent.organizationId,
      metadata,
      success_url: buyer.successUrl,
      cancel_url: buyer.cancelUrl,
      expires_at: expiresAt,
    };
    const params: Stripe.Checkout.SessionCreateParams =
      target.kind === 'subscription'
        ? {
            ...base,
            mode: 'subscription',
            line_items: [this.planLineItem(target)],
            subscription_data: { metadata, ...(await this.trial(target, intent.organizationId)) },
          }
        : {
            ...base,
            mode: 'payment',
            line_items: [this.packLineItem(target)],
            payment_intent_data: { metadata },
          };
    // Keyed by the intent: retrying this checkout can never open a second session at Stripe.
    return this.stripe.createCheckoutSession(params, `checkout-session:${intent.id}`);
  }

  private planLineItem(target: Target): Stripe.Checkout.SessionCreateParams.LineItem {
    const price = this.catalog.price(
      target.tier!,
      target.billingCycle as 'monthly' | 'yearly',
      target.region,
    )!;
    if (price.stripePriceId) return { price: price.stripePriceId, quantity: 1 };
    return {
      quantity: 1,
      price_data: {
        currency: price.currency.toLowerCase(),
        unit_amount: price.unitAmount,
        recurring: { interval: price.billingCycle === 'monthly' ? 'month' : 'year' },
        product_data: { name: `${this.catalog.productName} ${price.tier} (${price.billingCycle})` },
      },
    };
  }

  private packLineItem(target: Target): Stripe.Checkout.SessionCreateParams.LineItem {
    const pack = this.catalog.creditPack(target.packKey!, target.region)!;
    if (pack.stripePriceId) return { price: pack.stripePriceId, quantity: 1 };
    return {
      quantity: 1,
      price_data: {
        currency: pack.currency.toLowerCase(),
        unit_amount: pack.unitAmount,
        product_data: { name: `${pack.credits + pack.bonusCredits} credits (${pack.key})` },
      },
    };
  }

  /** The catalog's trial, once per organization: a second subscription starts paid. */
  private async trial(
    target: Target,
    organizationId: string,
  ): Promise<{ trial_period_days?: number }> {
    if (await this.subscriptions.hadSubscription(organizationId)) return {};
    const days = this.catalog.price(
      target.tier!,
      target.billingCycle as 'monthly' | 'yearly',
      target.region,
    )!.trialDays;
    return days ? { trial_period_days: days } : {};
  }

  private async buyer(
    userId: string,
    organizationId: string,
    input: { successUrl: string; cancelUrl: string },
    idempotencyKey?: string,
  ): Promise<Buyer> {
    this.stripe.assertConfigured();
    const organization = await this.tenants.findOrganization(organizationId);
    if (!organization) throw new DomainError('NOT_FOUND', 'No such organization');
    return {
      userId,
      organization,
      idempotencyKey,
      successUrl: input.successUrl,
      cancelUrl: input.cancelUrl,
    };
  }
}

const alreadySubscribed = () =>
  new DomainError(
    'ALREADY_SUBSCRIBED',
    'This organization already has a live subscription; change it instead',
  );

const actorOf = (buyer: Buyer): IntentActor => ({ type: 'USER', id: buyer.userId });

function pick(target: Target) {
  return {
    kind: target.kind,
    tier: target.tier,
    billingCycle: target.billingCycle,
    packKey: target.packKey,
    region: target.region,
  };
}

function sameTarget(intent: SubscriptionIntent, target: Target): boolean {
  return (
    intent.kind === target.kind &&
    intent.tier === target.tier &&
    intent.billingCycle === target.billingCycle &&
    intent.packKey === target.packKey &&
    intent.region === target.region
  );
}

function toResponse(intent: SubscriptionIntent): CheckoutResponseDto {
  return {
    intentId: intent.id,
    sessionId: intent.stripeSessionId!,
    url: intent.checkoutUrl!,
    expiresAt: intent.expiresAt.toISOString(),
  };
}
