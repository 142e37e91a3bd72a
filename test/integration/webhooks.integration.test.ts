jest.setTimeout(300_000);

import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { verifyWebhook } from '@voyce/activities';
import type { ManagedProcess } from '../../scripts/stack/process';
import { ApiClient } from '../support/apiClient';
import { startApi, startWorker, type RunningApi } from '../support/services';
import { speak } from '../support/speech';
import { waitFor } from '../support/waitFor';

/** A submission that completes is announced by a signed webhook (retried after a receiver's 500) and an e-mail. */
interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: string;
  answered: number;
}

let api: RunningApi;
let worker: ManagedProcess;
let receiver: http.Server;
const deliveries: Delivery[] = [];
const mailDir = mkdtempSync(path.join(os.tmpdir(), 'voyce-mail-'));

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      // The first delivery meets a broken receiver; Temporal retries it.
      const answered = deliveries.length === 0 ? 500 : 200;
      deliveries.push({ headers: req.headers, body, answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  [api, worker] = await Promise.all([startApi({ MAIL_DIR: mailDir }), startWorker({ MAIL_DIR: mailDir })]);
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await api?.close();
  receiver?.close();
});

it('signs, retries and delivers submission.completed, and e-mails the owner', async () => {
  const c = new ApiClient(api.url);
  const me = await c.registerFresh();
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/voyce`;
  const put = await c.json('PUT', '/api/notifications/settings', { webhookUrl: url, emailEnabled: true });
  expect(put.status).toBe(200);
  const secret = put.body.settings.webhookSecret as string;
  expect(secret).toMatch(/^whsec_/);
  const got = await c.json('GET', '/api/notifications/settings');
  expect(got.body.settings).toEqual({ webhookUrl: url, hasWebhookSecret: true, emailEnabled: true });
  const stored = await api.deps.db('notification_settings').where({ user_id: me.id }).first();
  expect(stored.webhook_secret).toMatch(/^enc:v1:/);
  expect(stored.webhook_secret).not.toContain(secret.slice(6));

  const res = await c.upload(speak('I really love the new timeline view, great work.', 'mp3'), { filename: 't.mp3', fields: { title: 'Timeline' } });
  const id = res.body.submission.id as string;
  expect((await c.waitForTerminal(id)).status).toBe('completed');
  await waitFor('the retried delivery', async () => deliveries.some((d) => d.answered === 200), 60_000, 200);

  expect(deliveries.map((d) => d.answered)).toEqual([500, 200]);
  for (const d of deliveries) {
    expect(d.headers['x-voyce-event']).toBe('submission.completed');
    expect(verifyWebhook(secret, Number(d.headers['x-voyce-timestamp']), d.body, String(d.headers['x-voyce-signature']))).toBe(true);
    expect(verifyWebhook('whsec_wrong', Number(d.headers['x-voyce-timestamp']), d.body, String(d.headers['x-voyce-signature']))).toBe(false);
  }
  expect(deliveries[0]?.headers['x-voyce-delivery']).toBe(deliveries[1]?.headers['x-voyce-delivery']); // receivers can de-duplicate
  const payload = JSON.parse(deliveries[1]?.body ?? '{}');
  expect(payload).toMatchObject({ type: 'submission.completed', data: { submission: { id, title: 'Timeline', status: 'completed' }, analysis: { sentiment: { label: 'positive' } } } });

  const mails = readdirSync(mailDir).map((f) => readFileSync(path.join(mailDir, f), 'utf8'));
  const mine = mails.filter((m) => m.includes(`To: ${me.email}`));
  expect(mine).toHaveLength(1); // once, although the webhook needed a retry
  expect(mine[0]).toContain('Your feedback "Timeline" has been transcribed and analysed.');
});

it('refuses a non-http webhook URL and rotating without one', async () => {
  const c = new ApiClient(api.url);
  await c.registerFresh();
  expect((await c.json('PUT', '/api/notifications/settings', { webhookUrl: 'ftp://example.com/x' })).status).toBe(422);
  expect((await c.json('POST', '/api/notifications/settings/rotate-secret')).status).toBe(422);
});
