import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { PushReceiptsResult, PushTicketRef } from './index';
import { activities, device, fakeDevices, memoryLogger, ok, receiver } from './testKit';

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
