import type { Status } from '../api/types';

const LABELS: Record<Status, string> = {
  pending: 'Received',
  validating: 'Checking audio',
  stored: 'Stored',
  transcribing: 'Transcribing',
  analyzing: 'Analysing',
  completed: 'Completed',
  rejected: 'Rejected',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const statusLabel = (s: Status) => LABELS[s] ?? s;

export function StatusBadge({ status }: { status: Status }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {statusLabel(status)}
    </span>
  );
}

const STEPS: Status[] = ['pending', 'validating', 'stored', 'transcribing', 'analyzing', 'completed'];

/** The pipeline as steps, the current one marked; announced politely as it changes. */
export function StatusSteps({ status }: { status: Status }) {
  const at = STEPS.indexOf(status);
  return (
    <div>
      <p className="visually-hidden" aria-live="polite">
        Status: {statusLabel(status)}
      </p>
      <ol className="steps" aria-label="Processing steps">
        {STEPS.map((s, i) => (
          <li key={s} className={at === -1 ? '' : i < at || status === 'completed' ? 'done' : i === at ? 'current' : ''} aria-current={i === at && status !== 'completed' ? 'step' : undefined}>
            {LABELS[s]}
          </li>
        ))}
      </ol>
    </div>
  );
}
