import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import {
  MAIL_SUBJECTS,
  MAIL_TEMPLATES,
  type MailTemplate,
  type MailTemplateData,
} from './mail-templates.js';

/** Copied next to the compiled code by `npm run build`. */
export const TEMPLATES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'templates');

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

type Compiled = (data: object) => string;

/**
 * Compiles every template once, in strict mode: a template that names data the caller did not
 * give fails loudly instead of mailing a blank. The text part is not HTML-escaped.
 */
export class MailRenderer {
  private readonly html = Handlebars.create();
  private readonly text = Handlebars.create();
  private readonly compiled = new Map<
    MailTemplate,
    { subject: Compiled; html: Compiled; text: Compiled }
  >();
  private readonly layouts: { html: Compiled; text: Compiled };

  constructor(private readonly context: { appUrl: string; productName: string }) {
    for (const partial of ['button', 'footer']) {
      this.html.registerPartial(partial, this.read(`partials/${partial}.html.hbs`));
      this.text.registerPartial(partial, this.read(`partials/${partial}.txt.hbs`));
    }
    this.layouts = {
      html: this.html.compile(this.read('layout.html.hbs'), { strict: true }),
      text: this.text.compile(this.read('layout.txt.hbs'), { strict: true, noEscape: true }),
    };
    for (const template of MAIL_TEMPLATES) {
      this.compiled.set(template, {
        subject: this.text.compile(MAIL_SUBJECTS[template], { strict: true, noEscape: true }),
        html: this.html.compile(this.read(`${template}.html.hbs`), { strict: true }),
        text: this.text.compile(this.read(`${template}.txt.hbs`), { strict: true, noEscape: true }),
      });
    }
  }

  render<T extends MailTemplate>(template: T, data: MailTemplateData[T]): RenderedMail {
    const parts = this.compiled.get(template);
    if (!parts) throw new Error(`Unknown mail template ${template}`);
    const subject = parts.subject(data);
    const frame = { ...this.context, subject };
    return {
      subject,
      html: this.layouts.html({ ...frame, body: parts.html({ ...this.context, ...data }) }),
      text: this.layouts.text({ ...frame, body: parts.text({ ...this.context, ...data }) }),
    };
  }

  private read(file: string): string {
    return readFileSync(join(TEMPLATES_DIR, file), 'utf8');
  }
}
