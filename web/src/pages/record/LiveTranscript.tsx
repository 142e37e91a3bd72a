import type { LivePhase } from '../../recording/useLiveTranscript';

/** The words heard so far while recording: settled words plain, the unsettled tail greyed. */
export function LiveTranscript({ state, settled, tail }: { state: LivePhase; settled: string; tail: string }) {
  if (state.phase === 'off') return null;
  if (state.phase === 'unavailable') {
    return (
      <p className="muted small" role="status" data-testid="live-unavailable">
        Live transcript unavailable ({state.reason}). Your recording is kept and sent as usual.
      </p>
    );
  }
  return (
    <div className="live-transcript" aria-live="polite" data-testid="live-transcript">
      <span className="live-settled">{settled}</span> <span className="live-tail muted">{tail}</span>
      {state.phase === 'connecting' && !settled && !tail && <span className="muted small">Connecting the live transcript…</span>}
      {state.phase === 'live' && !settled && !tail && <span className="muted small">Listening…</span>}
      {state.phase === 'submitted' && <p className="muted small">Received. Add details if you like, then press “Send feedback” to follow it.</p>}
    </div>
  );
}
