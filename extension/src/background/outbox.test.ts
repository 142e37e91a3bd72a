import { describe, expect, it } from 'vitest';
import { ApiError, ServerUnreachableError, SignedOutError } from '../shared/api';
import { createOutbox, type OutboxItem, type RecentEntry } from './outbox';

function harness(answers: (() => Promise<{ id: string; status: string }>)[]) {
  let now = 1000;
  const items = new Map<string, OutboxItem>();
  const reports: Partial<RecentEntry>[] = [];
  const keys: string[] = [];
  const forms: FormData[] = [];
  const wakes: number[] = [];
  const outbox = createOutbox({
    items: { all: async () => [...items.values()], put: async (i) => void items.set(i.localId, i), delete: async (id) => void items.delete(id) },
    upload: async (form, key) => {
      keys.push(key);
      forms.push(form);
      const next = answers.shift();
      if (!next) throw new Error('unexpected upload');
      return next();
    },
    report: async (_id, patch) => void reports.push(patch),
    wakeAt: (at) => void wakes.push(at),
    onSent: () => undefined,
    now: () => now,
    random: () => 0.5,
  });
  const item: OutboxItem = {
    localId: 'l1', idempotencyKey: 'voyce-ext-l1', createdAt: 1, attempts: 0, nextAttemptAt: 0,
    fields: { title: 'T', orgId: 'org-2', context: '{"client":"extension"}' }, audio: new Blob(['RIFF']), filename: 'r.webm', screenshot: new Blob(['jpg'], { type: 'image/jpeg' }),
  };
  return { outbox, items, reports, keys, forms, wakes, item, advance: (ms: number) => void (now += ms) };
}

describe('outbox', () => {
  it('retries an unreachable server with growing delays and the same Idempotency-Key, then delivers once', async () => {
    const h = harness([
      () => Promise.reject(new ServerUnreachableError('down')),
      () => Promise.reject(new ApiError(503, 'pipeline_unavailable', 'later')),
      () => Promise.resolve({ id: 'sub-1', status: 'pending' }),
    ]);
    await h.outbox.enqueue(h.item);
    expect(h.reports.at(-1)).toMatchObject({ state: 'retrying', attempts: 1 });
    expect(h.wakes).toEqual([1000 + 2000]);

    await h.outbox.flush(); // not due yet: nothing sent
    expect(h.keys).toHaveLength(1);

    h.advance(2000);
    await h.outbox.flush();
    expect(h.wakes.at(-1)).toBe(3000 + 4000); // doubled
    h.advance(4000);
    await h.outbox.flush();

    expect(h.keys).toEqual(['voyce-ext-l1', 'voyce-ext-l1', 'voyce-ext-l1']);
    // Every retry goes into the organisation picked when it was recorded.
    expect(h.forms.map((f) => (f as FormData).get('orgId'))).toEqual(['org-2', 'org-2', 'org-2']);
    expect(h.reports.at(-1)).toMatchObject({ state: 'sent', submissionId: 'sub-1', attempts: 3 });
    expect(h.items.size).toBe(0);
    await h.outbox.flush();
    expect(h.keys).toHaveLength(3); // delivered: never sent again
  });

  it('sends the audio, the screenshot and the fields as one multipart body', async () => {
    const h = harness([() => Promise.resolve({ id: 's', status: 'pending' })]);
    await h.outbox.enqueue(h.item);
    const form = h.forms[0] as FormData;
    expect((form.get('audio') as File).name).toBe('r.webm');
    expect((form.get('screenshot') as File).name).toBe('screenshot.jpg');
    expect(form.get('title')).toBe('T');
    expect(form.get('orgId')).toBe('org-2');
    expect(form.get('context')).toBe('{"client":"extension"}');
  });

  it('gives up on a refusal that would not change (415), keeping nothing', async () => {
    const h = harness([() => Promise.reject(new ApiError(415, 'unsupported_media_type', 'not audio'))]);
    await h.outbox.enqueue(h.item);
    expect(h.reports.at(-1)).toMatchObject({ state: 'failed', error: 'not audio' });
    expect(h.items.size).toBe(0);
  });

  it('waits for a sign-in instead of retrying, then sends when forced', async () => {
    const h = harness([() => Promise.reject(new SignedOutError('sign in')), () => Promise.resolve({ id: 's', status: 'pending' })]);
    await h.outbox.enqueue(h.item);
    expect(h.reports.at(-1)).toMatchObject({ state: 'waiting_for_sign_in' });
    h.advance(3_600_000);
    await h.outbox.flush();
    expect(h.keys).toHaveLength(1);
    await h.outbox.flush(true); // after signing in
    expect(h.reports.at(-1)).toMatchObject({ state: 'sent' });
  });

  it('never sends one item twice when flushes overlap', async () => {
    let release: () => void = () => undefined;
    const h = harness([() => new Promise((r) => (release = () => r({ id: 's', status: 'pending' })))]);
    await h.outbox.enqueue({ ...h.item, nextAttemptAt: 1_000_000 }).catch(() => undefined);
    const a = h.outbox.flush(true);
    const b = h.outbox.flush(true);
    await new Promise((r) => setTimeout(r, 10));
    release();
    await Promise.all([a, b]);
    expect(h.keys).toHaveLength(1);
  });
});
