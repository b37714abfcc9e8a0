import type Stripe from 'stripe';
import {
  LIVE_SUBSCRIPTION_STATUSES,
  type SubscriptionStatus,
} from './entities/subscription.entity.js';
import type { StripeSnapshot } from './stripe-snapshot.js';

/** The fields of a subscription row that follow Stripe. */
export interface SubscriptionState {
  tier: string;
  billingCycle: string;
  region: string;
  currency: string;
  status: SubscriptionStatus;
  currentPeriodEnd: Date | null;
  trialEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  gracePeriodEnd: Date | null;
  pendingChange: { tier: string; billingCycle: string; effectiveAt: string } | null;
  /** Why operators must look at this subscription; null when nothing is wrong. */
  flaggedReason: string | null;
}

/** A plan of the catalog, as a Stripe price was recognised. */
export interface RecognisedPlan {
  tier: string;
  billingCycle: string;
  region: string;
}

export interface TransitionInput {
  snapshot: StripeSnapshot;
  /** The plan of the price Stripe bills, or null when the price is outside the catalog. */
  plan: RecognisedPlan | null;
  /** The plan of the schedule's next phase, or null. */
  nextPlan: RecognisedPlan | null;
  graceDays: number;
  /** When the snapshot was read from Stripe. */
  readAt: Date;
}

const DAY_MS = 86_400_000;

/**
 * The one place that decides what a subscription becomes when Stripe reports it (DESIGN
 * principle 1). Stripe's status is followed, except that:
 * - an `active` subscription whose latest invoice failed and is still owed is past due;
 * - a subscription whose grace period ran out stays `expired` while Stripe still says past due:
 *   only Stripe reporting it paid (active) or trialing brings it back;
 * - `incomplete` (nothing paid yet) creates nothing and changes nothing.
 * A past-due episode gets its grace period counted from the finalization of the invoice that
 * failed, so retries and redeliveries never move it; it ends when the episode does. Tier
 * and cycle come from the price Stripe bills; an unknown price keeps what is known and is
 * flagged. Returns null when there is nothing to store.
 */
export function nextState(
  before: SubscriptionState | null,
  input: TransitionInput,
): SubscriptionState | null {
  const { snapshot, plan } = input;
  const status = statusOf(snapshot, before?.status ?? null);
  if (status === null) return null;
  // Metadata is anyone's to write (the Dashboard): a price outside the catalog keeps what we knew.
  const tier = plan?.tier ?? before?.tier ?? 'unknown';
  const billingCycle =
    plan?.billingCycle ??
    cycleOf(snapshot.billed.price?.interval) ??
    before?.billingCycle ??
    'monthly';
  return {
    tier,
    billingCycle,
    region: plan?.region ?? before?.region ?? 'US',
    currency: snapshot.currency,
    status,
    currentPeriodEnd: snapshot.currentPeriodEnd,
    trialEnd: snapshot.trialEnd,
    cancelAtPeriodEnd: snapshot.cancelAtPeriodEnd,
    gracePeriodEnd: graceOf(before, status, input),
    pendingChange: pendingChangeOf({ tier, billingCycle }, input),
    flaggedReason:
      keepDuplicateFlag(before) ??
      (plan ? null : `price outside the catalog: ${snapshot.billed.price?.id ?? 'none'}`),
  };
}

function statusOf(
  snapshot: StripeSnapshot,
  before: SubscriptionStatus | null,
): SubscriptionStatus | null {
  const reported = fromStripe(snapshot.status);
  if (reported === 'incomplete') return before;
  const status = reported === 'active' && snapshot.overdueInvoice ? 'past_due' : reported;
  if (before === 'expired' && status === 'past_due') return 'expired';
  return status;
}

function fromStripe(status: Stripe.Subscription.Status): SubscriptionStatus | 'incomplete' {
  switch (status) {
    case 'trialing':
      return 'trialing';
    case 'active':
      return 'active';
    case 'past_due':
      return 'past_due';
    case 'canceled':
      return 'canceled';
    case 'unpaid':
      return 'past_due';
    case 'incomplete_expired':
    case 'paused':
      return 'expired';
    case 'incomplete':
    default:
      return 'incomplete';
  }
}

function graceOf(
  before: SubscriptionState | null,
  status: SubscriptionStatus,
  { snapshot, graceDays, readAt }: TransitionInput,
): Date | null {
  const episodeOpen = before?.status === 'past_due' || before?.status === 'expired';
  if (status === 'past_due') {
    const kept = before?.status === 'past_due' ? before.gracePeriodEnd : null;
    if (!snapshot.overdueInvoice) return kept ?? new Date(readAt.getTime() + graceDays * DAY_MS);
    // Counted from the invoice that failed, so retries and redeliveries give the same end; a
    // later grant by an operator, or a grace period of a newer failed invoice, is never shortened.
    const due = snapshot.overdueInvoice.finalizedAt.getTime() + graceDays * DAY_MS;
    return new Date(Math.max(due, kept?.getTime() ?? 0));
  }
  if (status === 'expired') return before?.gracePeriodEnd ?? null;
  // The episode is over (paid, or ended); a grace period an operator granted otherwise stays.
  return episodeOpen || !LIVE_SUBSCRIPTION_STATUSES.includes(status)
    ? null
    : (before?.gracePeriodEnd ?? null);
}

function pendingChangeOf(
  current: { tier: string; billingCycle: string },
  { snapshot, nextPlan }: TransitionInput,
): SubscriptionState['pendingChange'] {
  if (!snapshot.nextPhase || !nextPlan) return null;
  if (nextPlan.tier === current.tier && nextPlan.billingCycle === current.billingCycle) return null;
  return {
    tier: nextPlan.tier,
    billingCycle: nextPlan.billingCycle,
    effectiveAt: snapshot.nextPhase.startsAt.toISOString(),
  };
}

const DUPLICATE_PREFIX = 'second live subscription';

/**
 * The flag for a second live subscription stays until an operator looks (and wins over a price
 * flag, so the two never take turns); a price flag goes once the price is known.
 */
function keepDuplicateFlag(before: SubscriptionState | null): string | null {
  return before?.flaggedReason?.startsWith(DUPLICATE_PREFIX) ? before.flaggedReason : null;
}

export const duplicateFlag = (otherStripeId: string) => `${DUPLICATE_PREFIX}: ${otherStripeId}`;

function cycleOf(interval: string | null | undefined): string | undefined {
  return interval === 'month' ? 'monthly' : interval === 'year' ? 'yearly' : undefined;
}
