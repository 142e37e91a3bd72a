import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Device, DeviceRepository, Logger, SubmissionRepository, ResultRepository } from '@voyce/core';
import { chunk, expoReceiptsUrl, fetchExpoReceipts, postToExpo, type ExpoPushMessage } from './expoPush';
import { createNotifyActivities, previewOf, pushContent, type PushReceiptsResult, type PushResult, type PushTicketRef } from './notifyActivities';

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

/**
 * A stand-in for Expo's push service: answers each request to /push/send with `answer(messages, n)` and each to
 * /push/getReceipts with `receipts(ids, n)`; records every request.
 */
function receiver(answer: (messages: ExpoPushMessage[], n: number) => Answer, receipts: (ids: string[], n: number) => Answer = () => ({ status: 200, body: { data: {} } })) {
  const requests: { headers: http.IncomingHttpHeaders; messages: ExpoPushMessage[] }[] = [];
  const receiptRequests: { headers: http.IncomingHttpHeaders; ids: string[] }[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      let a: Answer;
      if (req.url === '/--/api/v2/push/getReceipts') {
        const { ids } = JSON.parse(text) as { ids: string[] };
        receiptRequests.push({ headers: req.headers, ids });
        a = receipts(ids, receiptRequests.length);
      } else {
        const messages = JSON.parse(text) as ExpoPushMessage[];
        requests.push({ headers: req.headers, messages });
        a = answer(messages, requests.length);
      }
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers }).end(a.body === undefined ? '' : JSON.stringify(a.body));
    });
  });
  return {
    requests,
    receiptRequests,
    async start() {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/--/api/v2/push/send`;
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

const ok = (messages: ExpoPushMessage[]) => ({ status: 200, body: { data: messages.map((_, i) => ({ status: 'ok', id: `r-${i}` })) } });

const device = (n: number, userId = 'u1'): Device => ({
  id: `d-${n}`,
  userId,
  pushToken: `ExponentPushToken[tok-${n}]`,
  platform: 'android',
  appVersion: '1.0.0',
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

/** An in-memory devices table behind the repository's interface. */
function fakeDevices(list: Device[]) {
  const rows = [...list];
  const repo = {
    listForUser: async (userId: string) => rows.filter((d) => d.userId === userId),
    deleteByTokens: async (tokens: string[]) => {
      const before = rows.length;
      for (let i = rows.length - 1; i >= 0; i--) if (tokens.includes((rows[i] as Device).pushToken)) rows.splice(i, 1);
      return before - rows.length;
    },
    deleteByIds: async (ids: string[]) => {
      const before = rows.length;
      for (let i = rows.length - 1; i >= 0; i--) if (ids.includes((rows[i] as Device).id)) rows.splice(i, 1);
      return before - rows.length;
    },
  } as unknown as DeviceRepository;
  return { repo, rows };
}

/** A logger that keeps what it was told. */
function memoryLogger() {
  const lines: { level: string; fields: unknown; msg: string }[] = [];
  const at = (level: string) => (fields: unknown, msg: string) => void lines.push({ level, fields, msg });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') } as unknown as Logger };
}

function activities(url: string, devices: DeviceRepository, transcript = 'The checkout page crashes every single time I press the pay button on my phone', logger?: Logger) {
  const sub = { id: 's1', userId: 'u1', title: 'Checkout crash', progress: { stage: 'completed', attempts: 1 } };
  return createNotifyActivities({
    submissions: { findById: async (id: string) => (id === 's1' ? sub : null) } as unknown as SubmissionRepository,
    results: { findTranscription: async () => ({ text: transcript }) } as unknown as ResultRepository,
    notifier: { push: { devices, url, accessToken: 'expo-secret', timeoutMs: 2000, receiptDelayMs: 3000 } } as never,
    ...(logger ? { logger } : {}),
  });
}

describe('chunk', () => {
  it('cuts 250 items into 100, 100 and 50', () => {
    expect(chunk(Array.from({ length: 250 }, (_, i) => i)).map((c) => c.length)).toEqual([100, 100, 50]);
    expect(chunk([])).toEqual([]);
  });
});

describe('pushContent', () => {
  it('previews the first words of the transcript when completed, and gives the reason when failed', () => {
    expect(previewOf('one two three', 2)).toBe('one two…');
    expect(previewOf('  one   two ', 2)).toBe('one two');
    const done = pushContent('submission.completed', { title: 'Checkout', progress: { stage: 'completed', attempts: 1 } }, { text: 'a b c d e f g h i j k l m n' });
    expect(done).toEqual({ title: '“Checkout” is ready', body: 'a b c d e f g h i j k l…' });
    const failed = pushContent('submission.failed', { title: null, progress: { stage: 'failed', attempts: 3, error: { code: 'pipeline_failed', message: 'The model run failed.' } } }, null);
    expect(failed).toEqual({ title: 'Your feedback could not be processed', body: 'The model run failed.' });
  });
});

describe('postToExpo', () => {
  it('throws a retryable failure on 500 and 429 (taking Retry-After), a final one on 400 and on request errors', async () => {
    const answers = [
      { status: 500, body: { errors: [{ code: 'INTERNAL', message: 'oops' }] } },
      { status: 429, headers: { 'retry-after': '7' } },
      { status: 400, body: { errors: [{ code: 'VALIDATION_ERROR', message: '"to" is required' }] } },
      { status: 200, body: { errors: [{ code: 'PUSH_TOO_MANY_EXPERIENCE_IDS', message: 'mixed projects' }] } },
      { status: 200, body: { data: [] } },
    ];
    const r = receiver((_m, n) => answers[n - 1] as { status: number });
    const target = { url: await r.start(), timeoutMs: 2000 };
    const msg: ExpoPushMessage[] = [{ to: 'ExponentPushToken[x]', title: 't', body: 'b', data: {} }];
    try {
      const five = await postToExpo(target, msg).catch((e: unknown) => e);
      expect(five).toBeInstanceOf(ApplicationFailure);
      expect((five as ApplicationFailure).nonRetryable).toBe(false);
      const limited = (await postToExpo(target, msg).catch((e: unknown) => e)) as ApplicationFailure;
      expect([limited.nonRetryable, limited.nextRetryDelay]).toEqual([false, 7000]);
      const bad = (await postToExpo(target, msg).catch((e: unknown) => e)) as ApplicationFailure;
      expect([bad.type, bad.nonRetryable, bad.message]).toEqual(['PushRefused', true, 'push service refused the request (400): VALIDATION_ERROR: "to" is required']);
      const whole = (await postToExpo(target, msg).catch((e: unknown) => e)) as ApplicationFailure;
      expect([whole.type, whole.nonRetryable]).toEqual(['PushRefused', true]);
      await expect(postToExpo(target, msg)).rejects.toThrow('push service answered 0 tickets for 1 messages');
    } finally {
      await r.close();
    }
    await expect(postToExpo({ url: target.url, timeoutMs: 500 }, msg)).rejects.toThrow(/unreachable/);
  });
});

describe('sendPush', () => {
  it('sends one message per device in chunks of 100, with the access token, and drops DeviceNotRegistered tokens', async () => {
    const { repo, rows } = fakeDevices(Array.from({ length: 150 }, (_, i) => device(i)));
    const r = receiver((messages) => ({
      status: 200,
      body: {
        data: messages.map((m, i) =>
          m.to === 'ExponentPushToken[tok-3]'
            ? { status: 'error', message: `"${m.to}" is not a registered push notification recipient`, details: { error: 'DeviceNotRegistered', expoPushToken: m.to } }
            : m.to === 'ExponentPushToken[tok-120]'
              ? { status: 'error', message: 'Message too big', details: { error: 'MessageTooBig' } }
              : { status: 'ok', id: `r-${i}` },
        ),
      },
    }));
    const url = await r.start();
    try {
      const env = new MockActivityEnvironment();
      const result = (await env.run(activities(url, repo).sendPush, { submissionId: 's1', event: 'submission.completed' as const })) as PushResult;
      expect(result).toMatchObject({ devices: 150, accepted: 148, refused: 1, unregistered: 1, receiptDelayMs: 3000 });
      // One ticket per accepted message, naming its device, for the receipts check.
      expect(result.tickets).toHaveLength(148);
      expect(result.tickets?.[0]).toEqual({ id: 'r-0', deviceId: 'd-0' });
      expect(result.tickets?.some((t) => t.deviceId === 'd-3' || t.deviceId === 'd-120')).toBe(false);
      expect(r.requests.map((q) => q.messages.length)).toEqual([100, 50]);
      expect(r.requests[0]?.headers.authorization).toBe('Bearer expo-secret');
      expect(r.requests[0]?.messages[0]).toEqual({
        to: 'ExponentPushToken[tok-0]',
        title: '“Checkout crash” is ready',
        body: 'The checkout page crashes every single time I press the pay button…',
        sound: 'default',
        data: { submissionId: 's1', status: 'completed' },
      });
      expect(rows).toHaveLength(149);
      expect(rows.some((d) => d.pushToken === 'ExponentPushToken[tok-3]')).toBe(false);
    } finally {
      await r.close();
    }
  });

  it('on a retry sends only to the devices Expo has not answered for yet', async () => {
    const { repo } = fakeDevices([device(1), device(2), device(3)]);
    const r = receiver(ok);
    const url = await r.start();
    try {
      const earlier = [{ id: 'earlier-1', deviceId: 'd-1' }];
      const env = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: { answered: ['ExponentPushToken[tok-1]', 'ExponentPushToken[tok-2]'], tickets: earlier } });
      const beats: unknown[] = [];
      env.on('heartbeat', (d: unknown) => beats.push(d));
      const result = (await env.run(activities(url, repo).sendPush, { submissionId: 's1', event: 'submission.completed' as const })) as PushResult;
      expect(r.requests.map((q) => q.messages.map((m) => m.to))).toEqual([['ExponentPushToken[tok-3]']]);
      expect(result.accepted).toBe(1);
      // The tickets of the earlier attempt are handed on with this one's.
      expect(result.tickets).toEqual([...earlier, { id: 'r-0', deviceId: 'd-3' }]);
      expect(beats.at(-1)).toEqual({ answered: ['ExponentPushToken[tok-1]', 'ExponentPushToken[tok-2]', 'ExponentPushToken[tok-3]'], tickets: [...earlier, { id: 'r-0', deviceId: 'd-3' }] });
    } finally {
      await r.close();
    }
  });

  it('sends nothing (and calls no one) when the owner has no device', async () => {
    const r = receiver(ok);
    const url = await r.start();
    try {
      const result = await new MockActivityEnvironment().run(activities(url, fakeDevices([device(1, 'someone-else')]).repo).sendPush, { submissionId: 's1', event: 'submission.failed' as const });
      expect(result).toEqual({ devices: 0, accepted: 0, refused: 0, unregistered: 0, tickets: [], receiptDelayMs: 3000 });
      expect(r.requests).toHaveLength(0);
    } finally {
      await r.close();
    }
  });
});

describe('fetchExpoReceipts', () => {
  it('asks getReceipts beside the send endpoint, with the ids and the access token; retries on 5xx/429, refuses on 400', async () => {
    expect(expoReceiptsUrl('https://exp.host/--/api/v2/push/send')).toBe('https://exp.host/--/api/v2/push/getReceipts');
    expect(expoReceiptsUrl('http://127.0.0.1:9/--/api/v2/push/send/?x=1')).toBe('http://127.0.0.1:9/--/api/v2/push/getReceipts');
    const answers: Answer[] = [
      { status: 200, body: { data: { a: { status: 'ok' }, b: { status: 'error', message: 'gone', details: { error: 'DeviceNotRegistered' } } } } },
      { status: 503 },
      { status: 429, headers: { 'retry-after': '3' } },
      { status: 400, body: { errors: [{ code: 'VALIDATION_ERROR', message: '"ids" must be an array' }] } },
      { status: 200, body: { data: [] } },
    ];
    const r = receiver(ok, (_ids, n) => answers[n - 1] as Answer);
    const target = { url: await r.start(), accessToken: 'expo-secret', timeoutMs: 2000 };
    try {
      await expect(fetchExpoReceipts(target, ['a', 'b', 'c'])).resolves.toEqual({ a: { status: 'ok' }, b: { status: 'error', message: 'gone', details: { error: 'DeviceNotRegistered' } } });
      expect(r.receiptRequests[0]).toMatchObject({ ids: ['a', 'b', 'c'], headers: { authorization: 'Bearer expo-secret', 'content-type': 'application/json' } });
      const down = (await fetchExpoReceipts(target, ['a']).catch((e: unknown) => e)) as ApplicationFailure;
      expect([down.type, down.nonRetryable]).toEqual(['PushServiceUnavailable', false]);
      const limited = (await fetchExpoReceipts(target, ['a']).catch((e: unknown) => e)) as ApplicationFailure;
      expect([limited.nonRetryable, limited.nextRetryDelay]).toEqual([false, 3000]);
      const bad = (await fetchExpoReceipts(target, ['a']).catch((e: unknown) => e)) as ApplicationFailure;
      expect([bad.type, bad.nonRetryable]).toEqual(['PushRefused', true]);
      await expect(fetchExpoReceipts(target, ['a'])).rejects.toThrow('push service answered no receipts object');
      expect(r.requests).toHaveLength(0);
      await expect(fetchExpoReceipts(target, Array.from({ length: 1001 }, (_, i) => String(i)))).rejects.toThrow(RangeError);
    } finally {
      await r.close();
    }
  });
});

describe('checkPushReceipts', () => {
  const tickets = (n: number): PushTicketRef[] => Array.from({ length: n }, (_, i) => ({ id: `t-${i}`, deviceId: `d-${i}` }));

  it('fetches receipts in chunks of 1000, deletes devices whose receipt says DeviceNotRegistered, and logs the other errors with counts', async () => {
    const { repo, rows } = fakeDevices(Array.from({ length: 1500 }, (_, i) => device(i)));
    const r = receiver(ok, (ids) => ({
      status: 200,
      body: {
        data: Object.fromEntries(
          ids
            .filter((id) => id !== 't-1499') // not ready yet
            .map((id) =>
              id === 't-7' || id === 't-1200'
                ? [id, { status: 'error', message: 'not registered', details: { error: 'DeviceNotRegistered' } }]
                : id === 't-8' || id === 't-9'
                  ? [id, { status: 'error', message: 'rate exceeded', details: { error: 'MessageRateExceeded' } }]
                  : [id, { status: 'ok' }],
            ),
        ),
      },
    }));
    const url = await r.start();
    const { lines, logger } = memoryLogger();
    try {
      const env = new MockActivityEnvironment();
      const beats: unknown[] = [];
      env.on('heartbeat', (d: unknown) => beats.push(d));
      const result = (await env.run(activities(url, repo, undefined, logger).checkPushReceipts, { submissionId: 's1', tickets: tickets(1500) })) as PushReceiptsResult;
      expect(result).toEqual({ tickets: 1500, ok: 1495, missing: 1, errors: { DeviceNotRegistered: 2, MessageRateExceeded: 2 }, unregistered: 2 });
      expect(r.receiptRequests.map((q) => q.ids.length)).toEqual([1000, 500]);
      expect(r.receiptRequests[1]?.ids[0]).toBe('t-1000');
      expect(r.receiptRequests[0]?.headers.authorization).toBe('Bearer expo-secret');
      expect(rows).toHaveLength(1498);
      expect(rows.some((d) => d.id === 'd-7' || d.id === 'd-1200')).toBe(false);
      expect(beats.map((b) => (b as { chunksDone: number }).chunksDone)).toEqual([1, 2]);
      expect(lines.find((l) => l.level === 'warn')).toEqual({
        level: 'warn',
        msg: 'push receipts report delivery errors',
        fields: { submissionId: 's1', errors: { MessageRateExceeded: 2 }, tickets: 1500 },
      });
      expect(lines.filter((l) => l.msg.startsWith('removed devices')).map((l) => l.fields)).toEqual([
        { submissionId: 's1', devices: ['d-7'] },
        { submissionId: 's1', devices: ['d-1200'] },
      ]);
    } finally {
      await r.close();
    }
  });

  it('on a retry asks only for the chunks not handled yet, keeping what the earlier attempt found', async () => {
    const { repo } = fakeDevices([]);
    const r = receiver(ok, (ids) => ({ status: 200, body: { data: Object.fromEntries(ids.map((id) => [id, { status: 'ok' }])) } }));
    const url = await r.start();
    try {
      const earlier: PushReceiptsResult = { tickets: 1200, ok: 999, missing: 0, errors: { DeviceNotRegistered: 1 }, unregistered: 1 };
      const env = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: { chunksDone: 1, result: earlier } });
      const result = await env.run(activities(url, repo).checkPushReceipts, { submissionId: 's1', tickets: tickets(1200) });
      expect(r.receiptRequests.map((q) => q.ids)).toEqual([tickets(1200).slice(1000).map((t) => t.id)]);
      expect(result).toEqual({ tickets: 1200, ok: 1199, missing: 0, errors: { DeviceNotRegistered: 1 }, unregistered: 1 });
    } finally {
      await r.close();
    }
  });

  it('throws a retryable failure when Expo is down, and asks nothing when there are no tickets', async () => {
    const { repo } = fakeDevices([device(1)]);
    const r = receiver(ok, () => ({ status: 502 }));
    const url = await r.start();
    try {
      const failure = (await new MockActivityEnvironment().run(activities(url, repo).checkPushReceipts, { submissionId: 's1', tickets: tickets(1) }).catch((e: unknown) => e)) as ApplicationFailure;
      expect([failure.type, failure.nonRetryable]).toEqual(['PushServiceUnavailable', false]);
      const none = await new MockActivityEnvironment().run(activities(url, repo).checkPushReceipts, { submissionId: 's1', tickets: [] });
      expect(none).toEqual({ tickets: 0, ok: 0, missing: 0, errors: {}, unregistered: 0 });
      expect(r.receiptRequests).toHaveLength(1);
    } finally {
      await r.close();
    }
  });
});
