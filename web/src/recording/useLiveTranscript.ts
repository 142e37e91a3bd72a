import { LiveSession, messageOf } from '@voyce/api-client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { client } from '../api/client';
import { uploadLanguage } from '../languages';
import { orgUploadField } from '../stores/org';

export type LivePhase =
  | { phase: 'off' }
  | { phase: 'connecting' }
  | { phase: 'live' }
  | { phase: 'stopping' }
  | { phase: 'submitted'; submissionId: string }
  /** Live did not work; the recording is uploaded as usual. */
  | { phase: 'unavailable'; reason: string };

/**
 * Words as they are spoken: streams the recorder's WebM/Opus chunks to `/api/live` and keeps the settled words
 * and the unsettled tail. It never holds the only copy of the audio: the recorder keeps its own, and when live
 * fails (offline, socket failure, server refusal) `finish` answers null so the page uploads that copy.
 */
export function useLiveTranscript(context: () => Record<string, unknown>) {
  const [state, setState] = useState<LivePhase>({ phase: 'off' });
  const [settled, setSettled] = useState('');
  const [tail, setTail] = useState('');
  const session = useRef<LiveSession | null>(null);
  // Chunks are sent one after another (each is read from its Blob first), so they reach the server in order.
  const queue = useRef<Promise<void>>(Promise.resolve());
  const opening = useRef<Promise<LiveSession | null> | null>(null);
  const result = useRef<Promise<string | null> | null>(null);

  const fail = useCallback((reason: string) => {
    session.current = null;
    setState({ phase: 'unavailable', reason });
  }, []);

  const begin = useCallback(
    (mimeType: string) => {
      setSettled('');
      setTail('');
      result.current = null;
      if (!mimeType.includes('webm')) return fail('Live transcription needs WebM/Opus recording, which this browser does not offer.');
      if (!navigator.onLine) return fail('You are offline: your recording will be sent when you are back online.');
      setState({ phase: 'connecting' });
      const opened: Promise<LiveSession | null> = LiveSession.open(client, { encoding: 'webm_opus', ...orgUploadField(), ...(uploadLanguage() ? { language: uploadLanguage() } : {}), context: context() }, {
        onFinal: (text) => {
          setSettled((s) => (s ? `${s} ${text}` : text));
          setTail('');
        },
        onPartial: (text) => setTail(text),
        onFailure: (err) => fail(err.message),
      }).then(
        (s) => {
          if (opening.current !== opened) {
            s.cancel(); // reset while it connected
            return null;
          }
          session.current = s;
          setState((p) => (p.phase === 'connecting' ? { phase: 'live' } : p));
          return s;
        },
        (err: unknown) => {
          if (opening.current === opened) fail(messageOf(err));
          return null;
        },
      );
      opening.current = opened;
    },
    [context, fail],
  );

  /** Streams one chunk (kept in order; held until the session is ready). */
  const chunk = useCallback((blob: Blob) => {
    const open = opening.current;
    if (!open) return;
    queue.current = queue.current.then(async () => {
      const s = await open;
      if (s?.isOpen) await s.send(blob);
    });
  }, []);

  /** The recording ended: the live submission's id, or null when live failed (upload the recording instead). */
  const finish = useCallback((): Promise<string | null> => {
    if (result.current) return result.current;
    const open = opening.current;
    if (!open) return Promise.resolve(null);
    setState((p) => (p.phase === 'live' || p.phase === 'connecting' ? { phase: 'stopping' } : p));
    result.current = queue.current.then(async () => {
      const s = await open;
      if (!s?.isOpen) return null;
      try {
        const submission = await s.stop();
        setState({ phase: 'submitted', submissionId: submission.id });
        return submission.id;
      } catch (err) {
        fail(messageOf(err));
        return null;
      }
    });
    return result.current;
  }, [fail]);

  const reset = useCallback(() => {
    session.current?.cancel();
    session.current = null;
    opening.current = null;
    result.current = null;
    setSettled('');
    setTail('');
    setState({ phase: 'off' });
  }, []);

  useEffect(() => () => session.current?.cancel(), []);

  return { state, settled, tail, begin, chunk, finish, reset };
}
