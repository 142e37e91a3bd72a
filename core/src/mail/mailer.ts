import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/**
 * Sends through an SMTP relay when `MAIL_URL` is set; otherwise nodemailer's stream transport renders the
 * real RFC 822 message and it is written as `<time>-<id>.eml` to `MAIL_DIR`, where developers open it and
 * tests read it.
 */
export function createMailer(opts: { from: string; url?: string | undefined; dir: string }): Mailer {
  if (opts.url) {
    const transport = nodemailer.createTransport(opts.url);
    return {
      async send(m) {
        await transport.sendMail({ from: opts.from, ...m });
      },
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(m) {
      const info = await transport.sendMail({ from: opts.from, ...m });
      await fs.mkdir(opts.dir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}.eml`;
      const tmp = path.join(opts.dir, `.${name}.tmp`);
      // Write then rename, so a reader polling the folder never sees half a message.
      await fs.writeFile(tmp, info.message as Buffer);
      await fs.rename(tmp, path.join(opts.dir, name));
    },
  };
}
