/**
 * The load side of bench:chaos: logical uploads sent as a careful client sends them (an Idempotency-Key per
 * recording, 503 → wait Retry-After, connection refused → wait 1 s, then the same request again), and a tracker of
 * every accepted submission until it ends.
 */
import { randomUUID } from 'node:crypto';
import { ApiClient } from '../test/support/apiClient';

export interface Tracked {
  readonly key: string;
  readonly startedAt: number;
  id: string | null;
  acceptedAt: number | null;
  /** Answers other than 202 on the way (503s, refused connections). */
  retries: number;
  status: string | null;
  /** Server's completedAt, ms. */
  completedAt: number | null;
}

const TERMINAL = new Set(['completed', 'rejected', 'failed', 'cancelled']);

export class ChaosLoad {
  readonly uploads: Tracked[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private renewing: Promise<boolean> | null = null;

  constructor(
    private readonly client: ApiClient,
    private readonly clip: Buffer,
  ) {}

  /** Starts one logical upload; it retries until accepted or `giveUpAt`. */
  send(giveUpAt: number): void {
    const upload: Tracked = { key: randomUUID(), startedAt: Date.now(), id: null, acceptedAt: null, retries: 0, status: null, completedAt: null };
    this.uploads.push(upload);
    const run = this.deliver(upload, giveUpAt).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  async drain(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /** A run outlasts an access token: on a 401 the client refreshes once (shared by every request that saw it). */
  private async renew(): Promise<boolean> {
    this.renewing ??= this.client.refresh().catch(() => false).finally(() => (this.renewing = null));
    return this.renewing;
  }

  /** Polls every accepted, unfinished submission once; failures (API down) are "not yet". */
  async poll(): Promise<void> {
    const open = this.uploads.filter((u) => u.id !== null && !TERMINAL.has(u.status ?? ''));
    for (const u of open) {
      try {
        const res = await this.client.json('GET', `/api/submissions/${u.id}`);
        if (res.status === 401) {
          await this.renew();
          return;
        }
        const sub = res.body?.submission;
        if (!sub) continue;
        u.status = sub.status;
        if (sub.completedAt) u.completedAt = Date.parse(sub.completedAt);
      } catch {
        return; // the API is restarting: try again next round
      }
    }
  }

  openCount(): number {
    return this.uploads.filter((u) => u.id !== null && !TERMINAL.has(u.status ?? '')).length;
  }

  private async deliver(upload: Tracked, giveUpAt: number): Promise<void> {
    while (Date.now() < giveUpAt) {
      let waitMs = 1000;
      try {
        const res = await this.client.upload(this.clip, { filename: 'chaos.wav', idempotencyKey: upload.key, fields: { title: upload.key } });
        if (res.status === 202) {
          upload.id = res.body.submission.id as string;
          upload.acceptedAt = Date.now();
          upload.status = res.body.submission.status as string;
          return;
        }
        if (res.status === 401) {
          // The same request with a fresh token; a refresh refused mid-outage is tried again in a second.
          if (!(await this.renew())) await new Promise((r) => setTimeout(r, 1000));
          continue;
        }
        if (res.status !== 503 && res.status !== 409) throw new Error(`upload answered ${res.status}: ${JSON.stringify(res.body)}`);
        waitMs = Number(res.headers.get('retry-after') ?? '1') * 1000;
      } catch (err) {
        if (err instanceof Error && err.message.startsWith('upload answered')) throw err;
        // fetch failed: the API is down for a moment
      }
      upload.retries += 1;
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
}
