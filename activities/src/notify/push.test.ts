import { MockActivityEnvironment } from '@temporalio/testing';
import { previewOf, pushContent, type PushResult } from './index';
import { activities, device, fakeDevices, ok, receiver } from './testKit';

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

