/**
 * Every message the service sends, with the data its templates need. A template file pair
 * `templates/<name>.html.hbs` and `templates/<name>.txt.hbs` exists for each key (a spec checks).
 */
export interface MailTemplateData {
  'verify-email': { name: string; link: string };
  welcome: { name: string; appUrl: string };
  'password-reset': { name: string; link: string };
  'password-changed': { name: string };
  'email-changed': { name: string; newEmail: string };
  'account-deleted': { name: string };
  'role-changed': { name: string; from: string; to: string };
  'account-suspended': { name: string; reason: string };
  'account-reactivated': { name: string };
  invitation: { inviterName: string; organizationName: string; role: string; link: string };
  'payment-failed': { name: string; graceEndsAt: string };
  'subscription-started': { name: string; plan: string; periodEnd: string };
  'subscription-changed': { name: string; from: string; to: string; effectiveAt: string };
  'subscription-canceled': { name: string; plan: string; endsAt: string };
  'trial-ending': { name: string; plan: string; trialEnd: string };
  'invoice-paid': { name: string; amount: string; invoiceUrl: string };
  'subscription-duplicate': { name: string; plans: string };
  'credits-purchased': { name: string; credits: string; amount: string };
  'refund-issued': { name: string; amount: string };
  'credits-disputed': { name: string; outcome: string };
  'low-balance': { available: string; threshold: string; organizationName: string };
}

export type MailTemplate = keyof MailTemplateData;

/** Subject lines, rendered with the same data as the body. */
export const MAIL_SUBJECTS: Record<MailTemplate, string> = {
  'verify-email': 'Confirm your email address',
  welcome: 'Welcome aboard, {{name}}',
  'password-reset': 'Reset your password',
  'password-changed': 'Your password was changed',
  'email-changed': 'Your email address was changed',
  'account-deleted': 'Your account was deleted',
  'role-changed': 'Your role changed to {{to}}',
  'account-suspended': 'Your account was suspended',
  'account-reactivated': 'Your account is active again',
  invitation: '{{inviterName}} invited you to join “{{organizationName}}”',
  'payment-failed': 'A payment for your subscription failed',
  'subscription-started': 'Your {{plan}} subscription has started',
  'subscription-changed': 'Your plan changes from {{from}} to {{to}}',
  'subscription-canceled': 'Your {{plan}} subscription was canceled',
  'trial-ending': 'Your {{plan}} trial ends soon',
  'invoice-paid': 'Invoice paid: {{amount}}',
  'subscription-duplicate': 'Your organization pays for two subscriptions',
  'credits-purchased': '{{credits}} credits added to your wallet',
  'refund-issued': 'Refund issued: {{amount}}',
  'credits-disputed': 'A disputed credit purchase: {{outcome}}',
  'low-balance': 'Credits running low: {{available}} left',
};

export const MAIL_TEMPLATES = Object.keys(MAIL_SUBJECTS) as MailTemplate[];
