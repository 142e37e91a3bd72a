import fs from 'node:fs';
import path from 'node:path';

/** A message the file transport wrote, with its body decoded from quoted-printable. */
export interface StoredMail {
  file: string;
  headers: string;
  text: string;
}

const decodeQuotedPrintable = (s: string) =>
  s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** Every .eml in the folder addressed to `to`. */
export function mailsTo(dir: string, to: string): StoredMail[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((f) => {
      const raw = fs.readFileSync(path.join(dir, f), 'utf8');
      const split = raw.indexOf('\n\n');
      const headers = raw.slice(0, split);
      const body = raw.slice(split + 2);
      return { file: f, headers, text: /quoted-printable/i.test(headers) ? decodeQuotedPrintable(body) : body };
    })
    .filter((m) => new RegExp(`^To: .*${to.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'mi').test(m.headers));
}

/** Waits for the n-th message to `to` (the reset e-mail is sent after the 202). */
export async function waitForMail(dir: string, to: string, n = 1, timeoutMs = 10_000): Promise<StoredMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = mailsTo(dir, to);
    const mail = mails[n - 1];
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no message #${n} to ${to} in ${dir} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The reset code from a reset e-mail (it stands alone on the line after "reset code"). */
export function resetTokenFrom(mail: StoredMail): string {
  const match = /reset code[^\n]*:\n([A-Za-z0-9_-]{20,})/.exec(mail.text);
  if (!match?.[1]) throw new Error(`no reset code in ${mail.file}:\n${mail.text}`);
  return match[1];
}
