import { useEffect, useRef } from 'react';
import { followEvents } from '@voyce/api-client';
import { client } from '../api/client';
import { isTerminal, type Status } from '../api/types';

export interface StatusEvent {
  submissionId: string;
  status: Status | 'deleted';
  attempt: number;
  error: { code: string; message: string } | null;
  at: string;
}

/**
 * Follows a submission's status over Server-Sent Events until a terminal status; the client reconnects with
 * a fresh token if the stream drops before that.
 */
export function useSubmissionEvents(id: string | null, onEvent: (e: StatusEvent) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => {
    if (!id) return;
    return followEvents<StatusEvent>(client, `/api/submissions/${id}/events`, {
      onEvent: (e) => {
        handler.current(e);
        return e.status === 'deleted' || isTerminal(e.status);
      },
    });
  }, [id]);
}
