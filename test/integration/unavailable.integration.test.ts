jest.setTimeout(600_000);

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAzurite, type RunningAzurite } from '../../scripts/stack/azurite';
import { findFreePort } from '../../scripts/stack/ports';
import type { ManagedProcess } from '../../scripts/stack/process';
import { startTemporal, type RunningTemporal } from '../../scripts/stack/temporal';
import { ApiClient } from '../support/apiClient';
import { uploadHonouringRetryAfter } from '../support/retryAfter';
import { startApi, startWorker, type RunningApi } from '../support/services';
import { speak } from '../support/speech';
import { waitFor } from '../support/waitFor';

/**
 * While Blob storage or Temporal is down, /ready names it and an upload answers 503 with Retry-After (never a 500),
 * keeping nothing; the submission accepted just before the outage and the one accepted after it both complete with
 * exactly one transcription and one analysis.
 */
const TEXT = 'The calendar view forgets my filters every time I switch between weeks and months.';

interface Outage {
  readonly part: string;
  readonly check: string;
  readonly code: string;
  startPart(dataDir: string, port: number): Promise<{ env: Record<string, string>; stop(): Promise<void> }>;
}

const OUTAGES: Outage[] = [
  {
    part: 'Azurite',
    check: 'blob',
    code: 'storage_unavailable',
    async startPart(dataDir, port) {
      const azurite: RunningAzurite = await startAzurite({ dataDir, port, quiet: true });
      return { env: { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString }, stop: () => azurite.stop() };
    },
  },
  {
    part: 'Temporal',
    check: 'temporal',
    code: 'pipeline_unavailable',
    async startPart(dataDir, port) {
      const temporal: RunningTemporal = await startTemporal({ dataDir, port, headless: true, quiet: true });
      return { env: { TEMPORAL_ADDRESS: temporal.address }, stop: () => temporal.stop() };
    },
  },
];

describe.each(OUTAGES.map((o) => [o.part, o]))('%s down', (_name, outage) => {
  let api: RunningApi | undefined;
  let worker: ManagedProcess | undefined;
  let part: { env: Record<string, string>; stop(): Promise<void> } | undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `voyce-unavailable-${outage.check}-`));

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await part?.stop();
  });

  it('answers 503 + Retry-After meanwhile, and every accepted submission completes once after', async () => {
    const port = await findFreePort();
    part = await outage.startPart(dataDir, port);
    [api, worker] = await Promise.all([startApi(part.env), startWorker(part.env, `worker-${outage.check}-down`)]);
    const c = new ApiClient(api.url);
    await c.registerFresh();
    const clip = speak(TEXT, 'ogg');
    const before = await c.upload(clip, { filename: 'cal.ogg' });
    expect(before.status).toBe(202);

    await part.stop();
    const ready = await fetch(`${api.url}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBe('5');
    const details = ((await ready.json()) as { error: { details: Record<string, string> } }).error.details;
    expect(details[outage.check]).not.toBe('ok');
    expect(details.postgres).toBe('ok');

    const during = await c.upload(clip, { filename: 'cal.ogg' });
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBe('5');
    expect(during.body.error.code).toBe(outage.code);
    const listed = await c.json('GET', '/api/submissions');
    expect(listed.body.items.map((s: { id: string }) => s.id)).toEqual([before.body.submission.id]);

    part = await outage.startPart(dataDir, port);
    await waitFor('/ready to be 200 again', async () => (await fetch(`${api!.url}/ready`)).status === 200, 120_000, 250);
    const after = await uploadHonouringRetryAfter(c, clip, { filename: 'cal.ogg' });

    for (const id of [before.body.submission.id as string, after]) {
      const done = await c.waitForTerminal(id, 300_000);
      expect(done.status).toBe('completed');
      expect(done.transcription.text.toLowerCase()).toContain('calendar');
      expect(await api.deps.crossOrg.results.countFor(id)).toEqual({ transcriptions: 1, analyses: 1 });
    }
  });
});
