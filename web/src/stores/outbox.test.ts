import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import type { Submission } from '../api/types';
import { listOutbox, putOutboxItem } from '../offline/outbox';
import { signedInAs } from '../test/helpers';
import { useOutbox } from './outbox';

const upload = vi.hoisted(() => vi.fn());
vi.mock('../api/upload', () => ({ uploadSubmission: upload }));

const item = (id: string, userId: string) => ({ id, userId, audio: new Blob(['RIFF']), filename: 'r.webm', fields: { title: id }, createdAt: new Date().toISOString() });

describe('the offline outbox', () => {
  let userId: string;
  beforeEach(async () => {
    userId = signedInAs().id;
    for (const i of await listOutbox(userId)) await import('../offline/outbox').then((m) => m.removeOutboxItem(i.id));
    upload.mockReset();
  });

  it('keeps recordings while the network is down and sends them, with their idempotency keys, when it is back', async () => {
    await putOutboxItem(item('k1', userId));
    await putOutboxItem(item('k2', userId));
    await putOutboxItem(item('other', 'someone-else'));
    upload.mockRejectedValue(new ApiError(0, 'network_error', 'offline'));
    expect(await useOutbox.getState().flush()).toEqual([]);
    expect((await listOutbox(userId)).map((i) => i.id)).toEqual(['k1', 'k2']);

    upload.mockImplementation(async (req: { idempotencyKey: string }) => ({ id: `sub-${req.idempotencyKey}` }) as Submission);
    const sent = await useOutbox.getState().flush();
    expect(sent.map((s) => s.id)).toEqual(['sub-k1', 'sub-k2']);
    // First flush stopped at k1 (offline); the second sent k1 then k2, each under its own key.
    expect(upload.mock.calls.map((c) => (c[0] as { idempotencyKey: string }).idempotencyKey)).toEqual(['k1', 'k1', 'k2']);
    expect(await listOutbox(userId)).toEqual([]);
    expect(useOutbox.getState().items).toEqual([]);
  });

  it('keeps a recording the server refused, with the reason, instead of retrying it forever', async () => {
    await putOutboxItem(item('bad', userId));
    upload.mockRejectedValue(new ApiError(415, 'unsupported_media_type', 'That is not audio.'));
    await useOutbox.getState().flush();
    expect((await listOutbox(userId))[0]?.lastError).toBe('That is not audio.');
  });
});
