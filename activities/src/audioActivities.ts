import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { AUDIO_CONTAINERS, submissionBlobs, WAV_HEADER_BYTES, wavMissingBytes, type Submission } from '@voyce/core';
import type { ActivityDeps, SubmissionRef } from './deps';
import { AUDIO_MISSING_ERROR, invalidAudio } from './failures';
import { loadStageSubmission } from './stageSubmission';

export interface ValidatedAudio {
  container: string;
  durationMs: number;
  sizeBytes: number;
}

/** Where a submission's audio is now: the staging blob until stored, the permanent one after (e.g. on replay). */
async function locateAudio(deps: ActivityDeps, sub: Submission): Promise<{ kind: 'staging' | 'audio'; name: string; size: number }> {
  if (sub.stagingBlob) {
    const size = await deps.blob.sizeOf('staging', sub.stagingBlob);
    if (size !== null) return { kind: 'staging', name: sub.stagingBlob, size };
  }
  if (sub.audioBlob) {
    const size = await deps.blob.sizeOf('audio', sub.audioBlob);
    if (size !== null) return { kind: 'audio', name: sub.audioBlob, size };
  }
  throw ApplicationFailure.nonRetryable(`the audio of submission ${sub.id} is missing from storage`, AUDIO_MISSING_ERROR);
}

export function createAudioActivities(deps: ActivityDeps) {
  return {
    /** Probes the uploaded bytes; invalid audio is a non-retryable `InvalidAudio` failure with a stable reason. */
    async validateAudio({ submissionId }: SubmissionRef): Promise<ValidatedAudio> {
      const sub = await loadStageSubmission(deps, submissionId);
      const audio = await locateAudio(deps, sub);
      if (audio.size === 0) throw invalidAudio('empty_file');
      if (audio.size > deps.limits.maxBytes) throw invalidAudio('too_large', `The file is ${audio.size} bytes; at most ${deps.limits.maxBytes} are accepted.`);

      const url = await deps.blob.readUrl(audio.kind, audio.name, 600);
      // A ProbeUnavailableError (storage or ffmpeg unreachable) is thrown on: transient, retried with backoff.
      // The API sniffed the container from the first bytes; PCM WAV then needs no decode to be validated, and a
      // plain PCM header is read here from the first bytes instead of by an ffprobe process.
      const likelyPcmWav = sub.contentType === AUDIO_CONTAINERS.wav.contentType;
      const wavHead = likelyPcmWav ? await deps.blob.readHead(audio.kind, audio.name, Math.min(WAV_HEADER_BYTES, audio.size)) : undefined;
      const result = await deps.probe(url, { likelyPcmWav, ...(wavHead ? { wavHead } : {}) });
      if (!result.ok) throw invalidAudio(result.reason, result.message);
      if (result.container === 'wav') {
        const head = wavHead ?? (await deps.blob.readHead(audio.kind, audio.name, 12));
        const missing = wavMissingBytes(head, audio.size);
        if (missing > 0) throw invalidAudio('corrupt_audio', `The WAV file is truncated: ${missing} bytes of the ${audio.size + missing} it declares are missing.`);
      }
      await deps.submissions.setAudioFormat(submissionId, result.format, result.contentType);
      return { container: result.container, durationMs: result.format.durationMs, sizeBytes: audio.size };
    },

    /** Deletes the staged upload of a rejected submission: invalid audio is not kept. Safe to repeat. */
    async discardStagedAudio({ submissionId }: SubmissionRef): Promise<void> {
      const sub = await deps.submissions.findById(submissionId);
      if (!sub?.stagingBlob) return;
      await deps.blob.delete('staging', sub.stagingBlob);
      await deps.submissions.clearStaging(submissionId);
    },

    /**
     * Moves the audio from staging to its permanent, deterministic name with its checksum, then deletes the
     * staging blob. Each step is safe to repeat, so a crash anywhere is healed by the retry.
     */
    async storeAudio({ submissionId }: SubmissionRef): Promise<{ audioBlob: string; sha256: string }> {
      const sub = await loadStageSubmission(deps, submissionId);
      const container = sub.audioFormat?.container as keyof typeof AUDIO_CONTAINERS | undefined;
      if (!container || !(container in AUDIO_CONTAINERS)) throw new Error(`submission ${submissionId} has not been validated`);
      const audioName = submissionBlobs.audio(sub, AUDIO_CONTAINERS[container].extension);

      const stagingExists = sub.stagingBlob ? await deps.blob.exists('staging', sub.stagingBlob) : false;
      let stored: Awaited<ReturnType<typeof deps.blob.promote>> | null = null;
      if (sub.stagingBlob && stagingExists) {
        // The API hashed the bytes as they streamed in; older rows (or other writers) get hashed here.
        const sha256 = sub.checksumSha256 ?? (await deps.blob.sha256('staging', sub.stagingBlob));
        Context.current().heartbeat();
        // promote checks the copy's checksum itself and answers what is stored.
        stored = await deps.blob.promote(sub.stagingBlob, audioName, {
          sha256,
          contentType: AUDIO_CONTAINERS[container].contentType,
          metadata: { submissionid: sub.id, userid: sub.userId },
        });
        await deps.blob.delete('staging', sub.stagingBlob);
      }
      // A retry after the staging blob was deleted (or a replay) finds the permanent blob as it is.
      stored ??= await deps.blob.describePermanent(audioName);
      if (!stored) throw ApplicationFailure.nonRetryable(`the audio of submission ${submissionId} is missing from storage`, AUDIO_MISSING_ERROR);
      await deps.submissions.setStored(submissionId, audioName, stored.sha256);
      return { audioBlob: audioName, sha256: stored.sha256 };
    },
  };
}
