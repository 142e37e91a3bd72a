import { useEffect, useRef } from 'react';
import { freshAccessToken, refreshTokens } from '../api/client';
import { isTerminal, type Status } from '../api/types';

export interface StatusEvent {
  submissionId: string;
  status: Status | 'deleted';
  attempt: number;
  error: { code: string; message: string } | null;
  at: string;
}

/**
 * Follows a submission's status over Server-Sent Events (`?access_token=`, since EventSource sends no
 * headers) until a terminal status; reconnects with a fresh token if the stream drops before that.
 */
export function useSubmissionEvents(id: string | null, onEvent: (e: StatusEvent) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => {
    if (!id) return;
    let source: EventSource | null = null;
    let stopped = false;
    let retry: number | undefined;
    let failures = 0;

    const connect = async () => {
      const token = await freshAccessToken();
      if (stopped || !token) return;
      source = new EventSource(`/api/submissions/${id}/events?access_token=${encodeURIComponent(token)}`);
      source.addEventListener('status', (msg) => {
        failures = 0;
        const e = JSON.parse((msg as MessageEvent<string>).data) as StatusEvent;
        handler.current(e);
        if (e.status === 'deleted' || isTerminal(e.status)) {
          stopped = true;
          source?.close();
        }
      });
      source.onerror = () => {
        // The server closes the stream after a terminal status; anything else is a drop: reconnect, backing off.
        source?.close();
        if (stopped) return;
        failures += 1;
        retry = window.setTimeout(() => {
          void (failures > 1 ? refreshTokens() : Promise.resolve(true)).then(connect);
        }, Math.min(15_000, 500 * 2 ** failures));
      };
    };
    void connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [id]);
}
