import { useState } from 'react';
import { api, messageOf } from '../api/client';
import { ErrorMessage, Loading } from '../components/Feedback';
import { useAsync } from '../hooks/useAsync';
import type { Org, OrgRole } from '../stores/org';

/** One training run of the organisation's model (GET /api/orgs/:id/models). */
export interface OrgModelRun {
  id: string;
  modelVersion: string | null;
  status: 'queued' | 'running' | 'activated' | 'not_better' | 'insufficient_labels' | 'failed';
  active: boolean;
  labels: number;
  evaluation: { before: number | null; after: number | null; n: number } | null;
  error: string | null;
  createdAt: string;
}

const STATUS_TEXT: Record<OrgModelRun['status'], string> = {
  queued: 'queued',
  running: 'training…',
  activated: 'activated',
  not_better: 'not better than the active model',
  insufficient_labels: 'too few corrections',
  failed: 'failed',
};

const percent = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)} %`);

/** The organisation's models: each run's status, whether it is active, its corrections and its held-out accuracy; owners train. */
export function OrgModels({ org, role }: { org: Org; role: OrgRole }) {
  const runs = useAsync((signal) => api<{ items: OrgModelRun[] }>(`/api/orgs/${org.id}/models`, { signal }), [org.id]);
  const [note, setNote] = useState<string | null>(null);
  const going = runs.data?.items.some((r) => r.status === 'queued' || r.status === 'running') ?? false;

  const train = async () => {
    setNote(null);
    try {
      await api(`/api/orgs/${org.id}/models`, { method: 'POST' });
      setNote('Training started: the new model becomes active only if it beats the current one on your corrections.');
      runs.reload();
    } catch (err) {
      setNote(messageOf(err));
    }
  };

  if (runs.loading) return <Loading />;
  if (runs.error) return <ErrorMessage error={runs.error} onRetry={runs.reload} />;
  const items = runs.data?.items ?? [];
  return (
    <section aria-labelledby="models-heading">
      <h2 id="models-heading">Models</h2>
      {note && <p role="status">{note}</p>}
      {role === 'owner' && (
        <button type="button" className="button" disabled={going} onClick={() => void train()}>
          Train model
        </button>
      )}
      {going && (
        <button type="button" className="button" onClick={runs.reload}>
          Refresh
        </button>
      )}
      {items.length === 0 ? (
        <p>No model trained for this organisation yet: its submissions use the default model.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Requested</th>
              <th scope="col">Version</th>
              <th scope="col">Status</th>
              <th scope="col">Active</th>
              <th scope="col">Corrections</th>
              <th scope="col">Accuracy before → after (held out)</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id}>
                <td>{new Date(r.createdAt).toLocaleString()}</td>
                <td>{r.modelVersion ?? '–'}</td>
                <td title={r.error ?? undefined}>{STATUS_TEXT[r.status]}</td>
                <td>{r.active ? 'yes' : 'no'}</td>
                <td>{r.labels}</td>
                <td>
                  {r.evaluation && r.evaluation.before !== null
                    ? `${percent(r.evaluation.before)} → ${percent(r.evaluation.after)} on ${r.evaluation.n}`
                    : r.evaluation
                      ? `${r.evaluation.n} corrections`
                      : '–'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
