import type { FormEvent } from 'react';

export const CATEGORIES = ['bug', 'feature', 'usability', 'performance', 'praise', 'other'];

export interface Details {
  title: string;
  category: string;
  description: string;
}

export type Sending = { phase: 'idle' } | { phase: 'uploading'; fraction: number } | { phase: 'queued' } | { phase: 'error'; message: string };

/** Step 2: optional title, category and description, the send button and how sending goes. */
export function DetailsForm(props: {
  details: Details;
  onChange: (d: Details) => void;
  sending: Sending;
  canSend: boolean;
  onSend: () => void;
  onStartOver: () => void;
}) {
  const { details, onChange, sending } = props;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSend();
  };
  return (
    <form className="card" aria-labelledby="details-title" onSubmit={submit}>
      <h2 id="details-title">2. Details (optional)</h2>
      <div className="field">
        <label htmlFor="title">Title</label>
        <input id="title" value={details.title} maxLength={200} onChange={(e) => onChange({ ...details, title: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="category">Category</label>
        <select id="category" value={details.category} onChange={(e) => onChange({ ...details, category: e.target.value })}>
          <option value="">None</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="description">Description</label>
        <textarea id="description" value={details.description} maxLength={5000} rows={3} onChange={(e) => onChange({ ...details, description: e.target.value })} />
      </div>
      {sending.phase === 'uploading' && (
        <div className="upload-progress">
          <label htmlFor="upload-progress">Sending…</label>
          <progress id="upload-progress" max={1} value={sending.fraction} />
        </div>
      )}
      {sending.phase === 'queued' && (
        <p className="notice" role="status" data-testid="queued">
          You seem to be offline. Your recording is saved on this device and will be sent as soon as the connection is back.
        </p>
      )}
      {sending.phase === 'error' && (
        <p className="notice notice-error" role="alert">
          {sending.message}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button" disabled={!props.canSend}>
          Send feedback
        </button>
        {sending.phase === 'queued' && (
          <button type="button" className="button secondary" onClick={props.onStartOver}>
            Record another
          </button>
        )}
      </div>
    </form>
  );
}
