import { MailRenderer } from './mail-renderer.js';
import { MAIL_TEMPLATES, type MailTemplateData } from './mail-templates.js';

const SAMPLE: MailTemplateData = {
  'verify-email': { name: 'Ada', link: 'https://app.example/verify-email?token=abc' },
  welcome: { name: 'Ada', appUrl: 'https://app.example' },
  'password-reset': { name: 'Ada', link: 'https://app.example/reset-password?token=abc' },
  'password-changed': { name: 'Ada' },
  'email-changed': { name: 'Ada', newEmail: 'new@example.com' },
  'account-deleted': { name: 'Ada' },
  'role-changed': { name: 'Ada', from: 'user', to: 'admin' },
  'account-suspended': { name: 'Ada', reason: 'Chargebacks' },
  'account-reactivated': { name: 'Ada' },
  invitation: {
    inviterName: 'Grace',
    organizationName: 'Acme',
    role: 'billing',
    link: 'https://app.example/invitations/accept?token=abc',
  },
  'payment-failed': { name: 'Ada', graceEndsAt: '2026-12-01' },
  'subscription-started': { name: 'Ada', plan: 'Standard', periodEnd: '2026-12-23' },
  'subscription-changed': { name: 'Ada', from: 'Basic', to: 'Pro', effectiveAt: '2026-12-23' },
  'subscription-canceled': { name: 'Ada', plan: 'Pro', endsAt: '2026-12-23' },
  'trial-ending': { name: 'Ada', plan: 'Basic', trialEnd: '2026-12-01' },
  'invoice-paid': { name: 'Ada', amount: '$29.00', invoiceUrl: 'https://invoice.example/1' },
  'subscription-duplicate': { name: 'Ada', plans: 'basic (monthly), pro (monthly)' },
  'credits-purchased': { name: 'Ada', credits: '5,500', amount: '$44.99' },
  'refund-issued': { name: 'Ada', amount: '$9.99' },
  'credits-disputed': { name: 'Ada', outcome: '1,000 credits are frozen' },
  'low-balance': { available: '40', threshold: '100', organizationName: 'Acme' },
};

describe('MailRenderer', () => {
  const sut = new MailRenderer({
    appUrl: 'https://app.example',
    productName: 'Subscription Service',
  });

  it.each(MAIL_TEMPLATES)('renders %s as a subject, an HTML part and a text part', (template) => {
    const mail = sut.render(template, SAMPLE[template]);
    expect(mail.subject.length).toBeGreaterThan(5);
    expect(mail.html).toMatch(/^<!doctype html>/);
    expect(mail.html).toContain(`<title>${mail.subject.replaceAll("'", '&#x27;')}</title>`);
    expect(mail.text).toContain(
      'You receive this email because of your account at Subscription Service',
    );
    for (const value of Object.values(SAMPLE[template])) {
      expect(mail.text).toContain(value);
    }
  });

  it('escapes data in the HTML part but not in the text part', () => {
    const mail = sut.render('account-suspended', { name: '<Ada & Co>', reason: 'x' });
    expect(mail.html).toContain('&lt;Ada &amp; Co&gt;');
    expect(mail.html).not.toContain('<Ada & Co>');
    expect(mail.text).toContain('Hi <Ada & Co>,');
  });

  it('fails loudly when a template is given too little data', () => {
    expect(() => sut.render('verify-email', { name: 'Ada' } as never)).toThrow(/link/);
  });

  it('keeps text typed by others on one short line of the subject', () => {
    const mail = sut.render('invitation', {
      ...SAMPLE.invitation,
      inviterName: 'Grace\r\nBcc: victim@example.com',
      organizationName: `Acme ${'URGENT: your account is locked, log in at evil.example '.repeat(3)}`,
    });
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject).toContain(
      'Grace Bcc: victim@example.com invited you to join “Acme URGENT',
    );
    expect(mail.subject.length).toBeLessThan(110);
    expect(mail.subject).toContain('…”');
  });
});
