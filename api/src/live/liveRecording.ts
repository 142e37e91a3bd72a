import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { AUDIO_CONTAINERS, submissionBlobs, unauthenticated, type Submission } from '@voyce/core';
import type { ApiDeps } from '../deps';
import { registerSubmission } from '../submissions/registerSubmission';
import { uploadOrgOf } from '../orgs/uploadOrg';
import { runInScope } from '../orgs/requestScope';
import type { StartMessage } from './liveMessages';

/** A WAV (PCM s16le mono) header for `dataBytes` of samples, so pcm_s16le sessions store as ordinary WAV. */
export function wavHeader(dataBytes: number, sampleRate: number): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/**
 * The audio of one live session, kept until `stop` (at most UPLOAD_MAX_BYTES: the caller closes past it), then
 * written as ONE file to the uploads' staging path and made an ordinary submission with `context.live = true`.
 */
export class LiveRecording {
  readonly id = randomUUID();
  private chunks: Buffer[] = [];
  bytes = 0;

  constructor(private readonly start: StartMessage) {}

  append(data: Buffer): void {
    this.chunks.push(data);
    this.bytes += data.length;
  }

  /** Seconds of sound, where the bytes tell (pcm); webm's come from the worker. */
  get pcmSeconds(): number | null {
    return this.start.encoding === 'pcm_s16le' ? this.bytes / 2 / this.start.sampleRate : null;
  }

  discard(): void {
    this.chunks = [];
  }

  /** Stores the file and starts the pipeline; whatever fails removes the staging blob again. */
  async submit(deps: ApiDeps, userId: string): Promise<Submission> {
    // Socket events run outside any request, so the scope (row-level security) and the organisation are set here.
    const account = await deps.principals.findById(userId);
    if (!account || account.disabled) throw unauthenticated('The account can no longer sign in.');
    const me = { id: userId, role: account.role, memberships: account.memberships ?? [] };
    return runInScope(me, async () => this.store(deps, userId, await uploadOrgOf(deps, me, this.start.orgId)));
  }

  private async store(deps: ApiDeps, userId: string, orgId: string): Promise<Submission> {
    const pcm = this.start.encoding === 'pcm_s16le';
    const file = Buffer.concat(pcm ? [wavHeader(this.bytes, this.start.sampleRate), ...this.chunks] : this.chunks);
    this.discard();
    const container = AUDIO_CONTAINERS[pcm ? 'wav' : 'webm'];
    const stagingName = submissionBlobs.staging({ userId, id: this.id });
    try {
      await deps.blob.uploadStaging(stagingName, Readable.from([file]), container.contentType);
      return await registerSubmission(deps, {
        id: this.id,
        userId,
        orgId,
        title: this.start.title ?? null,
        description: this.start.description ?? null,
        category: this.start.category ?? null,
        language: this.start.language ?? null,
        context: { client: 'api', ...this.start.context, live: true },
        contentType: container.contentType,
        originalFilename: `live.${container.extension}`,
        sizeBytes: file.length,
        stagingBlob: stagingName,
        checksumSha256: createHash('sha256').update(file).digest('hex'),
      });
    } catch (err) {
      await deps.blob.delete('staging', stagingName).catch(() => undefined);
      throw err;
    }
  }
}
