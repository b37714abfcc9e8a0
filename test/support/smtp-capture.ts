import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

type Waiter = { matches: (mail: CapturedMail) => boolean; resolve: (mail: CapturedMail) => void };

/**
 * A real SMTP server on a free local port that keeps what it receives. Tests wait for a message
 * (event-driven, no polling or sleeping) and read tokens from the links in it.
 */
export class SmtpCapture {
  readonly messages: CapturedMail[] = [];
  private server?: SMTPServer;
  private waiters: Waiter[] = [];
  port = 0;

  async start(port = this.port): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, _session, done) => {
        simpleParser(stream)
          .then((parsed) => this.receive(parsed))
          .then(() => done(), done);
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The first message (already received or still to come) to `to` whose subject matches. */
  waitFor(to: string, subject?: RegExp, timeoutMs = 10_000): Promise<CapturedMail> {
    const matches = (mail: CapturedMail) =>
      mail.to === to && (!subject || subject.test(mail.subject));
    const found = this.messages.find(matches);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`No mail to ${to} ${subject ?? ''} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({ matches, resolve: (mail) => (clearTimeout(timer), resolve(mail)) });
    });
  }

  to(recipient: string): CapturedMail[] {
    return this.messages.filter((mail) => mail.to === recipient);
  }

  private receive(parsed: ParsedMail): void {
    const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
    const mail: CapturedMail = {
      to: to?.value[0]?.address ?? '',
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : '',
    };
    this.messages.push(mail);
    const ready = this.waiters.filter((waiter) => waiter.matches(mail));
    this.waiters = this.waiters.filter((waiter) => !waiter.matches(mail));
    for (const waiter of ready) waiter.resolve(mail);
  }
}

/** The `token` query parameter of the first link in a message to `path` (e.g. /verify-email). */
export function tokenFromLink(mail: CapturedMail, path: string): string {
  const link = mail.text.match(new RegExp(`https?://\\S+${path}\\?token=[^\\s]+`))?.[0];
  if (!link) throw new Error(`No ${path} link in the mail "${mail.subject}"`);
  return new URL(link).searchParams.get('token')!;
}
