jest.setTimeout(300_000);

import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExpoPushMessage } from '@voyce/activities';
import type { ManagedProcess } from '../../scripts/stack/process';
import { ApiClient } from '../support/apiClient';
import { startApi, startWorker, type RunningApi } from '../support/services';
import { speak } from '../support/speech';
import { waitFor } from '../support/waitFor';

/**
 * Push notifications for the mobile app: devices registered through `/api/devices`, and a completed submission
 * pushed through Expo's push API — here a local receiver standing in for Expo's service (unreachable from tests):
 * its first answer is a 500 (retried by Temporal), then tickets in which one token is `DeviceNotRegistered`; the
 * receipts it serves later (`getReceipts` beside the send endpoint, fetched after the worker's receipt delay, here
 * 5 s) say another token is `DeviceNotRegistered` too.
 */
interface PushRequest {
  headers: http.IncomingHttpHeaders;
  messages: ExpoPushMessage[];
  answered: number;
}

const DEAD_TOKEN = `ExponentPushToken[dead-${randomUUID().slice(0, 8)}]`;
const LIVE_TOKEN = `ExponentPushToken[live-${randomUUID().slice(0, 8)}]`;
/** Accepted with a ticket, but its receipt later says DeviceNotRegistered (the app was uninstalled meanwhile). */
const LATE_DEAD_TOKEN = `ExponentPushToken[late-${randomUUID().slice(0, 8)}]`;

let api: RunningApi;
let worker: ManagedProcess;
let receiver: http.Server;
const pushes: PushRequest[] = [];
/** Ticket ids handed out, with their token; and every getReceipts request. */
const ticketTokens = new Map<string, string>();
const receiptRequests: { headers: http.IncomingHttpHeaders; ids: string[] }[] = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/--/api/v2/push/getReceipts') {
        const { ids } = JSON.parse(body) as { ids: string[] };
        receiptRequests.push({ headers: req.headers, ids });
        const data = Object.fromEntries(
          ids
            .filter((id) => ticketTokens.has(id))
            .map((id) =>
              ticketTokens.get(id) === LATE_DEAD_TOKEN
                ? [id, { status: 'error', message: 'The recipient device is not registered with FCM.', details: { error: 'DeviceNotRegistered' } }]
                : [id, { status: 'ok' }],
            ),
        );
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
        return;
      }
      const messages = JSON.parse(body) as ExpoPushMessage[];
      // Only this file's tokens count: other suites' submissions have no devices, so they never post here.
      const answered = pushes.length === 0 ? 500 : 200;
      pushes.push({ headers: req.headers, messages, answered });
      if (answered === 500) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'try again' }] }));
        return;
      }
      const data = messages.map((m, i) => {
        if (m.to === DEAD_TOKEN) return { status: 'error', message: `"${m.to}" is not a registered push notification recipient`, details: { error: 'DeviceNotRegistered', expoPushToken: m.to } };
        const id = `receipt-${pushes.length}-${i}-${randomUUID()}`;
        ticketTokens.set(id, m.to);
        return { status: 'ok', id };
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const pushUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/--/api/v2/push/send`;
  [api, worker] = await Promise.all([startApi(), startWorker({ EXPO_PUSH_URL: pushUrl, EXPO_ACCESS_TOKEN: 'expo-test-access-token', EXPO_PUSH_RECEIPT_DELAY_SECONDS: '5' })]);
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await api?.close();
  receiver?.close();
});

describe('/api/devices', () => {
  it('registers a token once, lists and deletes only the caller’s devices, and moves a token to whoever registers it last', async () => {
    const ann = new ApiClient(api.url);
    const bob = new ApiClient(api.url);
    await ann.registerFresh();
    const bobUser = await bob.registerFresh();
    const token = `ExponentPushToken[${randomUUID()}]`;

    const first = await ann.json('POST', '/api/devices', { pushToken: token, platform: 'android', appVersion: '1.0.0' });
    expect(first.status).toBe(201);
    expect(first.body.device).toEqual({ id: expect.any(String), pushToken: token, platform: 'android', appVersion: '1.0.0', createdAt: expect.any(String), updatedAt: expect.any(String) });
    const again = await ann.json('POST', '/api/devices', { pushToken: token, platform: 'android', appVersion: '1.1.0' });
    expect(again.status).toBe(201);
    expect(again.body.device).toMatchObject({ id: first.body.device.id, appVersion: '1.1.0' });
    const web = await ann.json('POST', '/api/devices', { pushToken: `ExpoPushToken[${randomUUID()}]`, platform: 'web' });
    expect(web.status).toBe(201);
    expect(web.body.device.appVersion).toBeNull();

    const listed = await ann.json('GET', '/api/devices');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((d: { id: string }) => d.id)).toEqual([first.body.device.id, web.body.device.id]);
    expect(listed.body.nextCursor).toBeNull();
    expect((await api.deps.db('devices').where({ push_token: token })).length).toBe(1);

    // Bob signs in on Ann's phone: the token now notifies Bob, and Ann can no longer see or delete it.
    const moved = await bob.json('POST', '/api/devices', { pushToken: token, platform: 'android', appVersion: '1.1.0' });
    expect(moved.status).toBe(201);
    expect(moved.body.device.id).toBe(first.body.device.id);
    expect((await api.deps.db('devices').where({ push_token: token }).first()).user_id).toBe(bobUser.id);
    expect((await ann.json('GET', '/api/devices')).body.items.map((d: { id: string }) => d.id)).toEqual([web.body.device.id]);
    const othersDelete = await ann.json('DELETE', `/api/devices/${first.body.device.id}`);
    expect(othersDelete.status).toBe(404);
    expect(othersDelete.body.error.code).toBe('not_found');
    expect((await bob.json('GET', '/api/devices')).body.items).toHaveLength(1);

    expect((await bob.json('DELETE', `/api/devices/${first.body.device.id}`)).status).toBe(204);
    expect((await bob.json('GET', '/api/devices')).body.items).toEqual([]);
    expect((await bob.json('DELETE', `/api/devices/${first.body.device.id}`)).status).toBe(404);
    expect((await bob.json('DELETE', '/api/devices/not-a-uuid')).status).toBe(404);
  });

  it('refuses bad bodies with 400 naming the field, and strangers with 401', async () => {
    const c = new ApiClient(api.url);
    await c.registerFresh();
    const cases: [unknown, string][] = [
      [{ pushToken: 'not-a-token', platform: 'ios' }, 'pushToken'],
      [{ pushToken: 'ExponentPushToken[abc]', platform: 'windows' }, 'platform'],
      [{ platform: 'ios' }, 'pushToken'],
      [{ pushToken: 'ExponentPushToken[abc]', platform: 'ios', appVersion: 'x'.repeat(65) }, 'appVersion'],
      [{ pushToken: 'ExponentPushToken[abc]', platform: 'ios', userId: randomUUID() }, ''],
    ];
    for (const [body, field] of cases) {
      const res = await c.json('POST', '/api/devices', body);
      expect({ body, status: res.status, code: res.body.error.code }).toEqual({ body, status: 400, code: 'invalid_request' });
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect((await c.json('GET', '/api/devices')).body.items).toEqual([]);
    expect((await c.json('POST', '/api/devices', { pushToken: 'ExponentPushToken[abc]', platform: 'ios' }, '')).status).toBe(401);
    expect((await c.json('GET', '/api/devices', undefined, '')).status).toBe(401);
  });

  it('lets the Expo dev server (mobile web) call the API cross-origin in development', async () => {
    const res = await fetch(`${api.url}/api/devices`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:8081', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:8081');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toBe('authorization,content-type,idempotency-key');
  });
});

describe('push on completion', () => {
  it('pushes the first words of the transcript to every device, retries after a 500, drops a DeviceNotRegistered token, and later one whose receipt says so', async () => {
    const c = new ApiClient(api.url);
    await c.registerFresh();
    const live = await c.json('POST', '/api/devices', { pushToken: LIVE_TOKEN, platform: 'ios', appVersion: '2.0.0' });
    const dead = await c.json('POST', '/api/devices', { pushToken: DEAD_TOKEN, platform: 'android' });
    const lateDead = await c.json('POST', '/api/devices', { pushToken: LATE_DEAD_TOKEN, platform: 'android' });
    expect([live.status, dead.status, lateDead.status]).toEqual([201, 201, 201]);

    const res = await c.upload(speak('The checkout page crashes every time I press the pay button on my phone, please fix it soon.', 'mp3'), { filename: 'crash.mp3', fields: { title: 'Checkout crash' } });
    expect(res.status).toBe(202);
    const id = res.body.submission.id as string;
    const done = await c.waitForTerminal(id);
    expect(done.status).toBe('completed');
    await waitFor('the retried push', async () => pushes.some((p) => p.answered === 200), 60_000, 200);

    expect(pushes.map((p) => p.answered)).toEqual([500, 200]);
    for (const p of pushes) {
      expect(p.headers['content-type']).toBe('application/json');
      expect(p.headers.authorization).toBe('Bearer expo-test-access-token');
      expect(p.messages.map((m) => m.to).sort()).toEqual([DEAD_TOKEN, LIVE_TOKEN, LATE_DEAD_TOKEN].sort());
    }
    const sent = pushes[1]?.messages.find((m) => m.to === LIVE_TOKEN);
    expect(sent).toMatchObject({ title: '“Checkout crash” is ready', sound: 'default', data: { submissionId: id, status: 'completed' } });
    // The body previews the transcript: its first twelve words, as transcribed, then an ellipsis.
    const words = ((await c.json('GET', `/api/submissions/${id}/transcription`)).body.text as string).trim().split(/\s+/);
    expect(words.length).toBeGreaterThan(12);
    expect(sent?.body).toBe(`${words.slice(0, 12).join(' ')}…`);
    expect(sent?.body.toLowerCase()).toContain('page crashes');

    // Expo said the dead token is gone: so is its device; the others stay until their receipts are in.
    await waitFor('the dead device to be removed', async () => (await api.deps.db('devices').where({ push_token: DEAD_TOKEN })).length === 0, 30_000, 200);
    expect(receiptRequests).toEqual([]);
    expect((await c.json('GET', '/api/devices')).body.items.map((d: { id: string }) => d.id)).toEqual([live.body.device.id, lateDead.body.device.id]);

    // After the receipt delay the notify workflow fetches the receipts of both accepted tickets, once: the late
    // DeviceNotRegistered removes that device; the live one stays.
    const notify = api.deps.temporal.workflow.getHandle(`notify-submission.completed-${(await api.deps.temporal.workflow.getHandle(`submission-${id}`).describe()).runId}`);
    expect(await notify.result()).toEqual({
      webhook: false,
      email: false,
      push: true,
      receipts: { tickets: 2, ok: 1, missing: 0, errors: { DeviceNotRegistered: 1 }, unregistered: 1 },
    });
    expect(receiptRequests).toHaveLength(1);
    expect(receiptRequests[0]?.headers.authorization).toBe('Bearer expo-test-access-token');
    expect(receiptRequests[0]?.ids.map((r) => ticketTokens.get(r)).sort()).toEqual([LIVE_TOKEN, LATE_DEAD_TOKEN].sort());
    expect((await api.deps.db('devices').where({ push_token: LATE_DEAD_TOKEN })).length).toBe(0);
    expect((await c.json('GET', '/api/devices')).body.items.map((d: { id: string }) => d.id)).toEqual([live.body.device.id]);
  });
});
