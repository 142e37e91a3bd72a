import { ApiClient, LiveSession, messageOf } from '@voyce/api-client';
import type { LiveAccess } from '../shared/api';
import type { RecorderEvent } from '../shared/messages';

type LiveEvent = Extract<RecorderEvent, { type: 'recorder/live' }>;

/**
 * The words while recording, for the popup: streams MediaRecorder's WebM/Opus chunks to `/api/live` and
 * reports settled words and the tail. Display only: at the end the session is cancelled (nothing kept on the
 * server) and the recording is sent through the outbox as always, with the page context and screenshot the
 * person chose — so a live failure never costs a recording.
 */
export function startLiveTranscript(access: LiveAccess, emit: (event: LiveEvent) => void) {
  let settled = '';
  let tail = '';
  let session: LiveSession | null = null;
  let ended = false;
  let queue: Promise<void> = Promise.resolve();
  const report = (phase: LiveEvent['phase'], reason?: string) => emit({ type: 'recorder/live', phase, settled, tail, ...(reason ? { reason } : {}) });
  const store = { load: () => ({ accessToken: access.accessToken }), save: () => undefined, clear: () => undefined };
  const client = new ApiClient({ baseUrl: access.server, store });
  report('connecting');
  const opening = LiveSession.open(client, { encoding: 'webm_opus', ...(access.orgId ? { orgId: access.orgId } : {}), context: { client: 'extension' } }, {
    onFinal: (text) => {
      settled = settled ? `${settled} ${text}` : text;
      tail = '';
      report('live');
    },
    onPartial: (text) => {
      tail = text;
      report('live');
    },
    onFailure: (err) => {
      if (!ended) report('unavailable', err.message);
    },
  }).then(
    (s) => {
      if (ended) s.cancel();
      else {
        session = s;
        report('live');
      }
      return s;
    },
    (err: unknown) => {
      report('unavailable', messageOf(err));
      return null;
    },
  );
  return {
    /** One chunk, in order (held until the session is ready). */
    chunk(blob: Blob): void {
      queue = queue.then(async () => {
        const s = await opening;
        if (s?.isOpen && !ended) await s.send(blob);
      });
    },
    /** The recording ended: the server keeps nothing of this session. */
    end(): void {
      ended = true;
      session?.cancel();
    },
  };
}
