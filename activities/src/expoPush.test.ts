import { ApplicationFailure } from '@temporalio/common';
import { chunk, expoReceiptsUrl, fetchExpoReceipts, postToExpo, type ExpoPushMessage } from './expoPush';
import { ok, receiver, type Answer } from './notify/testKit';

describe('chunk', () => {
  it('cuts 250 items into 100, 100 and 50', () => {
    expect(chunk(Array.from({ length: 250 }, (_, i) => i)).map((c) => c.length)).toEqual([100, 100, 50]);
    expect(chunk([])).toEqual([]);
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

