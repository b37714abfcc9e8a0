import type { MailTemplate, MailTemplateData } from '../mail/mail-templates.js';
import { LIVE_SUBSCRIPTION_STATUSES, type Subscription } from './entities/subscription.entity.js';

export type Notice = {
  [T in MailTemplate]: { template: T; data: MailTemplateData[T] };
}[MailTemplate];

const dateOf = (date: Date | string | null) =>
  (date ? new Date(date) : new Date()).toISOString().slice(0, 10);
const planOf = (subscription: Pick<Subscription, 'tier' | 'billingCycle'>) =>
  `${subscription.tier} (${subscription.billingCycle})`;

/**
 * What the billing contact (or the member who acted) is told of a change, whoever made it:
 * Stripe on its own (a renewal, a trial converted, a cancellation in the portal or after failed
 * payments), our API or an operator. The same change mails the same message whichever way it
 * came, and a change seen twice (our API's answer, then Stripe's event) mails once, because the
 * second finds nothing changed.
 */
export function noticesOf(
  before: Subscription | null,
  after: Subscription,
  name: string,
): Notice[] {
  if (!before) {
    return LIVE_SUBSCRIPTION_STATUSES.includes(after.status)
      ? [
          {
            template: 'subscription-started',
            data: {
              name,
              plan: planOf(after),
              periodEnd: dateOf(after.trialEnd ?? after.currentPeriodEnd),
            },
          },
        ]
      : [];
  }
  const ended =
    LIVE_SUBSCRIPTION_STATUSES.includes(before.status) &&
    (after.status === 'canceled' || after.status === 'expired');
  if (ended)
    return [
      {
        template: 'subscription-canceled',
        data: { name, plan: planOf(before), endsAt: dateOf(null) },
      },
    ];
  const notices: Notice[] = [];
  if (before.status === 'trialing' && after.status === 'active')
    notices.push(changed(name, `${before.tier} trial`, planOf(after), null));
  else if (before.tier !== after.tier || before.billingCycle !== after.billingCycle)
    notices.push(changed(name, planOf(before), planOf(after), null));
  if (after.pendingChange && after.pendingChange.effectiveAt !== before.pendingChange?.effectiveAt)
    notices.push(
      changed(name, planOf(after), planOf(after.pendingChange), after.pendingChange.effectiveAt),
    );
  if (after.cancelAtPeriodEnd && !before.cancelAtPeriodEnd)
    notices.push({
      template: 'subscription-canceled',
      data: { name, plan: planOf(after), endsAt: dateOf(after.currentPeriodEnd) },
    });
  if (
    !after.cancelAtPeriodEnd &&
    before.cancelAtPeriodEnd &&
    LIVE_SUBSCRIPTION_STATUSES.includes(after.status)
  )
    notices.push(changed(name, `${planOf(after)} (canceling)`, planOf(after), null));
  if (after.status === 'past_due' && before.status !== 'past_due')
    notices.push({
      template: 'payment-failed',
      data: { name, graceEndsAt: dateOf(after.gracePeriodEnd) },
    });
  return notices;
}

function changed(name: string, from: string, to: string, effectiveAt: string | null): Notice {
  return {
    template: 'subscription-changed',
    data: { name, from, to, effectiveAt: dateOf(effectiveAt) },
  };
}
