import { randomUUID } from 'node:crypto';
import { sniffContainer } from '@voyce/core';
import type { RawData, WebSocket } from 'ws';
import type { ApiDeps } from '../deps';
import { presentSubmission } from '../submissions/presenter';
import { LiveCapacityError, openWorkerSession, type WorkerConnection } from './liveWorkerClient';
import { describeIssue, endMessage, parseJson, startMessage, type StartMessage } from './liveMessages';
import type { LiveMetrics } from './liveMetrics';
import { LiveRecording } from './liveRecording';
import type { WorkerMessage } from './workerFrames';

export const CLOSE = { normal: 1000, badMessage: 4400, auth: 4401, tooLong: 4413, tooMany: 4429, fault: 1011 } as const;

export interface LiveContext {
  deps: ApiDeps;
  metrics: LiveMetrics;
  workerAddresses: readonly string[];
}

type State = 'awaiting_start' | 'opening' | 'streaming' | 'stopping' | 'closed';
// After `stop`, the worker's last finals are waited for at most this long: `submission` is due within 2 s.
const FINAL_WAIT_MS = 1_800;

/** One `/api/live` socket: relays audio to a live worker and its words back; at `stop` makes the submission. */
export class LiveSession {
  private state: State = 'awaiting_start';
  private worker: WorkerConnection | null = null;
  private recording: LiveRecording | null = null;
  private start: StartMessage | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private workerDone: (() => void) | null = null;
  private readonly sessionId = randomUUID();

  constructor(private readonly ws: WebSocket, private readonly userId: string, private readonly ctx: LiveContext, private readonly onEnd: () => void) {
    ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    ws.on('close', () => this.onSocketClosed());
    ws.on('error', () => undefined); // 'close' follows
    this.armIdleTimer();
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    try {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (isBinary) this.onAudio(bytes);
      else void this.onText(bytes.toString('utf8'));
    } catch (err) {
      this.ctx.deps.logger.error({ err }, 'live frame handling failed');
      this.fail(CLOSE.fault, 'live_server_fault', 'The live session failed on the server.');
    }
  }

  private async onText(text: string): Promise<void> {
    const message = parseJson(text);
    if (this.state === 'awaiting_start') {
      const parsed = startMessage.safeParse(message);
      if (!parsed.success) return this.fail(CLOSE.badMessage, 'bad_message', `The first message must be start: ${describeIssue(parsed.error)}.`);
      return this.open(parsed.data);
    }
    const parsed = endMessage.safeParse(message);
    if (!parsed.success) return this.fail(CLOSE.badMessage, 'bad_message', 'Only {"type": "stop"} or {"type": "cancel"} may follow start; audio goes in binary frames.');
    if (this.state !== 'streaming') return this.fail(CLOSE.badMessage, 'bad_message', `${parsed.data.type} arrived before the session was ready.`);
    if (parsed.data.type === 'cancel') {
      this.ctx.metrics.ended.inc({ reason: 'cancelled' });
      return this.finish(CLOSE.normal, 'cancelled');
    }
    await this.stop();
  }

  private async open(start: StartMessage): Promise<void> {
    this.state = 'opening';
    this.start = start;
    try {
      this.worker = await openWorkerSession(
        this.ctx.workerAddresses,
        { encoding: start.encoding, sampleRate: start.sampleRate, language: start.language },
        { onMessage: (m) => this.onWorkerMessage(m), onLost: () => this.onWorkerLost() },
      );
    } catch (err) {
      if (err instanceof LiveCapacityError) {
        this.ctx.metrics.ended.inc({ reason: 'capacity' });
        return this.fail(CLOSE.tooMany, 'live_capacity_reached', 'Live transcription is at capacity right now; record and upload instead, or retry shortly.');
      }
      throw err;
    }
    if (this.state !== 'opening') return this.worker.close(); // the socket went while we connected
    this.recording = new LiveRecording(start);
    this.state = 'streaming';
    this.send({ type: 'ready', sessionId: this.sessionId });
  }

  private onAudio(bytes: Buffer): void {
    if (this.state !== 'streaming' || !this.recording || !this.worker || !this.start) {
      return this.fail(CLOSE.badMessage, 'bad_message', 'Audio arrived before the session was ready (send start and wait for ready).');
    }
    if (this.recording.bytes === 0) {
      const container = sniffContainer(bytes);
      const expected = this.start.encoding === 'webm_opus' ? 'webm' : null;
      if (container !== expected) {
        const what = container ? `a ${container} file` : 'not WebM';
        return this.fail(CLOSE.badMessage, 'wrong_encoding', `The audio is ${what}, but start said ${this.start.encoding}.`);
      }
    }
    this.armIdleTimer();
    this.recording.append(bytes);
    const { UPLOAD_MAX_BYTES, AUDIO_MAX_MS } = this.ctx.deps.config;
    const seconds = this.recording.pcmSeconds;
    if (this.recording.bytes > UPLOAD_MAX_BYTES || (seconds !== null && seconds * 1000 > AUDIO_MAX_MS)) return this.tooLong();
    if (!this.worker.sendAudio(bytes)) {
      // Back-pressure: stop reading the client until the worker has taken what is queued.
      this.ws.pause();
      this.worker.onDrain(() => this.ws.resume());
    }
  }

  private onWorkerMessage(message: WorkerMessage): void {
    if (this.state === 'closed') return;
    if (message.type === 'partial' || message.type === 'final') {
      const lag = Number(message.lagSeconds);
      if (Number.isFinite(lag)) this.ctx.metrics.lag.observe(lag);
      const audioSeconds = Number(message.audioSeconds);
      if (Number.isFinite(audioSeconds) && audioSeconds * 1000 > this.ctx.deps.config.AUDIO_MAX_MS) return this.tooLong();
      this.send({ type: message.type, text: message.text, words: message.words });
    } else if (message.type === 'done') {
      this.workerDone?.();
    } else if (message.type === 'error') {
      const badAudio = message.code === 'invalid_audio' || message.code === 'bad_message';
      this.ctx.metrics.ended.inc({ reason: badAudio ? 'bad_audio' : 'worker_error' });
      if (badAudio) this.fail(CLOSE.badMessage, 'invalid_audio', `The audio could not be decoded as ${this.start?.encoding ?? 'audio'}.`);
      else this.fail(CLOSE.fault, 'live_server_fault', 'The live recogniser failed.');
    }
  }

  private onWorkerLost(): void {
    if (this.state === 'closed') return;
    if (this.state === 'stopping') return this.workerDone?.(); // the recording is still whole: submit it
    this.ctx.metrics.ended.inc({ reason: 'worker_lost' });
    this.fail(CLOSE.fault, 'live_server_fault', 'The live recogniser went away; record and upload instead.');
  }

  private async stop(): Promise<void> {
    const recording = this.recording;
    if (!recording || !this.worker) return;
    this.state = 'stopping';
    this.clearIdleTimer();
    const finals = new Promise<void>((resolve) => {
      this.workerDone = resolve;
      setTimeout(resolve, FINAL_WAIT_MS).unref();
    });
    this.worker.stop();
    try {
      const [submission] = await Promise.all([recording.submit(this.ctx.deps, this.userId), finals]);
      this.ctx.metrics.ended.inc({ reason: 'submitted' });
      this.send({ type: 'submission', submission: presentSubmission(submission) });
      this.finish(CLOSE.normal, 'submitted');
    } catch (err) {
      this.ctx.deps.logger.error({ err }, 'live recording could not be submitted');
      this.ctx.metrics.ended.inc({ reason: 'submit_failed' });
      this.fail(CLOSE.fault, 'pipeline_unavailable', 'The recording could not be stored; nothing was kept. Please retry.');
    }
  }

  private tooLong(): void {
    this.ctx.metrics.ended.inc({ reason: 'too_long' });
    const minutes = this.ctx.deps.config.AUDIO_MAX_MS / 60_000;
    this.fail(CLOSE.tooLong, 'recording_too_long', `The recording is past the limit of ${minutes} min or ${Math.round(this.ctx.deps.config.UPLOAD_MAX_BYTES / 1048576)} MB.`);
  }

  private onSocketClosed(): void {
    if (this.state === 'closed') return;
    if (this.state !== 'stopping') this.ctx.metrics.ended.inc({ reason: 'dropped' });
    // A dropped socket makes nothing; a stop already under way still completes its submission.
    if (this.state !== 'stopping') this.finish(CLOSE.normal, 'dropped');
  }

  private armIdleTimer(): void {
    this.clearIdleTimer();
    const seconds = this.ctx.deps.config.LIVE_IDLE_SECONDS;
    this.idleTimer = setTimeout(() => {
      this.ctx.metrics.ended.inc({ reason: 'idle' });
      this.fail(CLOSE.badMessage, 'live_timeout', `No audio for ${seconds} s; the session is closed and nothing was kept.`);
    }, seconds * 1000);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private send(message: Record<string, unknown>): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(message));
  }

  private fail(code: number, errorCode: string, message: string): void {
    if (this.state === 'closed') return;
    this.send({ type: 'error', error: { code: errorCode, message } });
    this.finish(code, errorCode);
  }

  /** Ends the session once: the worker forgets it, unsent audio is dropped, the socket closes with `code`. */
  private finish(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.clearIdleTimer();
    this.worker?.close();
    this.recording?.discard();
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(code, reason.slice(0, 120));
    this.onEnd();
  }
}
