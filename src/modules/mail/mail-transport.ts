import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';

export interface OutgoingMail {
  id: string;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

/** Where mail goes: an SMTP server, or `.eml` files a developer can open. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function createMailTransport(config: { smtpUrl?: string; fileDir: string }): MailTransport {
  return config.smtpUrl ? new SmtpTransport(config.smtpUrl) : new EmlFileTransport(config.fileDir);
}

class SmtpTransport implements MailTransport {
  private readonly transporter: Transporter;

  constructor(url: string) {
    // Short timeouts: a dead server should fail the attempt (and schedule a retry) quickly.
    this.transporter = nodemailer.createTransport({
      url,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transporter.sendMail({ ...mail, messageId: `<${mail.id}@subscription-service>` });
  }

  close(): void {
    this.transporter.close();
  }
}

class EmlFileTransport implements MailTransport {
  private readonly transporter = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
  });

  constructor(private readonly dir: string) {}

  async send(mail: OutgoingMail): Promise<void> {
    const info = await this.transporter.sendMail({
      ...mail,
      messageId: `<${mail.id}@subscription-service>`,
    });
    await mkdir(this.dir, { recursive: true });
    await writeFile(
      join(this.dir, `${new Date().toISOString().replaceAll(':', '-')}-${mail.id}.eml`),
      info.message as Buffer,
    );
  }

  close(): void {
    this.transporter.close();
  }
}
