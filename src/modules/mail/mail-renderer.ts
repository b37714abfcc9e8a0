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
 * The data names a template refers to, parameters of partials included. Handlebars' strict mode
 * misses names passed as partial parameters (`{{> button href=link}}`), so render() checks these.
 */
function referencedNames(source: string): Set<string> {
  const names = new Set<string>();
  class Collector extends Handlebars.Visitor {
    override PathExpression(path: hbs.AST.PathExpression): void {
      if (path.parts.length > 0) names.add(path.parts[0]);
    }
    override PartialStatement(partial: hbs.AST.PartialStatement): void {
      // The partial's own name is not data; its parameters and hash values are.
      partial.params.forEach((param) => this.accept(param));
      if (partial.hash) this.accept(partial.hash);
    }
  }
  new Collector().accept(Handlebars.parse(source));
  return names;
}

/** How much of one value a subject line shows (names typed by other users among them). */
const SUBJECT_VALUE_MAX = 40;

/**
 * The data as a subject line may show it: values such as an inviter's or organization's name are
 * typed by people other than the recipient, so line breaks and other control characters become
 * spaces and long values are cut, leaving no room for a message of the sender's own.
 */
function subjectSafe(data: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(data).map(([name, value]) => {
      if (typeof value !== 'string') return [name, value];
      // eslint-disable-next-line no-control-regex
      const flat = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\s]+/g, ' ').trim();
      const cut =
        flat.length > SUBJECT_VALUE_MAX ? `${flat.slice(0, SUBJECT_VALUE_MAX - 1)}…` : flat;
      return [name, cut];
    }),
  );
}

/**
 * Compiles every template once, in strict mode: a template that names data the caller did not
 * give fails loudly instead of mailing a blank. The text part is not HTML-escaped.
 */
export class MailRenderer {
  private readonly html = Handlebars.create();
  private readonly text = Handlebars.create();
  private readonly compiled = new Map<
    MailTemplate,
    { subject: Compiled; html: Compiled; text: Compiled; needs: Set<string> }
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
      const sources = [
        MAIL_SUBJECTS[template],
        this.read(`${template}.html.hbs`),
        this.read(`${template}.txt.hbs`),
      ];
      this.compiled.set(template, {
        subject: this.text.compile(sources[0], { strict: true, noEscape: true }),
        html: this.html.compile(sources[1], { strict: true }),
        text: this.text.compile(sources[2], { strict: true, noEscape: true }),
        needs: new Set(
          sources
            .flatMap((source) => [...referencedNames(source)])
            .filter((name) => !(name in context)),
        ),
      });
    }
  }

  render<T extends MailTemplate>(template: T, data: MailTemplateData[T]): RenderedMail {
    const parts = this.compiled.get(template);
    if (!parts) throw new Error(`Unknown mail template ${template}`);
    const missing = [...parts.needs].filter((name) => !(data as Record<string, unknown>)[name]);
    if (missing.length > 0)
      throw new Error(`Mail template ${template} needs ${missing.join(', ')}`);
    const subject = parts.subject(subjectSafe(data));
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
