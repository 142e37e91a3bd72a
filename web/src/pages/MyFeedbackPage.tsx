import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { isTerminal, type Page, type Submission } from '../api/types';
import { Empty, ErrorMessage, Loading } from '../components/Feedback';
import { StatusBadge } from '../components/Status';
import { useAsync } from '../hooks/useAsync';
import { useSubmissionEvents } from '../hooks/useSubmissionEvents';
import { Link } from '../router';
import { useOutbox } from '../stores/outbox';
import { usePageTitle } from './usePageTitle';
import { orgQuery, useOrgs } from '../stores/org';

export const submissionTitle = (s: Pick<Submission, 'title' | 'createdAt'>) => s.title || `Feedback of ${new Date(s.createdAt).toLocaleString()}`;

/** One row; a row still in the pipeline follows its status live. */
function Row({ submission, live, onChange }: { submission: Submission; live: boolean; onChange(s: Partial<Submission>): void }) {
  useSubmissionEvents(live && !isTerminal(submission.status) ? submission.id : null, (e) => {
    if (e.status !== 'deleted') onChange({ status: e.status });
  });
  return (
    <li className="row">
      <div>
        <Link to={`/feedback/${submission.id}`} className="row-title">
          {submissionTitle(submission)}
        </Link>
        <p className="muted small">
          {new Date(submission.createdAt).toLocaleString()}
          {submission.category ? ` · ${submission.category}` : ''}
          {submission.durationMs ? ` · ${Math.round(submission.durationMs / 1000)} s` : ''}
        </p>
      </div>
      <StatusBadge status={submission.status} />
    </li>
  );
}

// Browsers allow ~6 connections per origin over HTTP/1.1: follow at most 3 streams, poll the rest.
const MAX_STREAMS = 3;

/** "My feedback": what I sent, newest first, with live status; and what is still waiting on this device. */
export function MyFeedbackPage() {
  usePageTitle('My feedback');
  const orgParam = useOrgs(orgQuery);
  const [cursor, setCursor] = useState<string | null>(null);
  const [items, setItems] = useState<Submission[]>([]);
  const page = useAsync((signal) => api<Page<Submission>>(`/api/submissions?${orgParam}limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { signal }), [cursor, orgParam]);
  const outbox = useOutbox();
  // Another organisation chosen: its list from the first page.
  useEffect(() => setCursor(null), [orgParam]);
  const loadOutbox = useOutbox((s) => s.load);

  useEffect(() => {
    if (page.data) setItems((prev) => (cursor ? [...prev, ...page.data!.items.filter((s) => !prev.some((p) => p.id === s.id))] : page.data!.items));
  }, [page.data, cursor]);

  useEffect(() => {
    void loadOutbox();
  }, [loadOutbox]);

  const running = items.filter((s) => !isTerminal(s.status));
  useEffect(() => {
    if (running.length <= MAX_STREAMS) return;
    const t = window.setInterval(() => {
      void api<Page<Submission>>('/api/submissions?limit=20').then((p) => setItems((prev) => prev.map((s) => p.items.find((n) => n.id === s.id) ?? s)));
    }, 5000);
    return () => clearInterval(t);
  }, [running.length]);

  const update = (id: string, change: Partial<Submission>) => setItems((prev) => prev.map((s) => (s.id === id ? { ...s, ...change } : s)));
  const liveIds = new Set(running.slice(0, MAX_STREAMS).map((s) => s.id));

  const sendWaiting = async () => {
    const sent = await outbox.flush();
    if (sent.length > 0) {
      setCursor(null);
      page.reload();
    }
  };

  return (
    <>
      <div className="page-head">
        <h1>My feedback</h1>
        <Link to="/" className="button">
          New feedback
        </Link>
      </div>
      {outbox.items.length > 0 && (
        <section className="card" aria-labelledby="waiting-title">
          <h2 id="waiting-title">Waiting to be sent</h2>
          <ul className="list">
            {outbox.items.map((i) => (
              <li key={i.id} className="row">
                <span>{i.fields.title || `Recording of ${new Date(i.createdAt).toLocaleString()}`}</span>
                <span className="muted small">{i.lastError ?? 'saved on this device'}</span>
              </li>
            ))}
          </ul>
          <button type="button" className="button secondary" onClick={() => void sendWaiting()} disabled={outbox.flushing}>
            {outbox.flushing ? 'Sending…' : 'Send now'}
          </button>
        </section>
      )}
      {page.error !== null && <ErrorMessage error={page.error} onRetry={page.reload} />}
      {page.loading && items.length === 0 && <Loading />}
      {!page.loading && page.error === null && items.length === 0 && (
        <Empty>
          Nothing yet. <Link to="/">Record your first feedback</Link>.
        </Empty>
      )}
      {items.length > 0 && (
        <ul className="list" aria-label="Your feedback">
          {items.map((s) => (
            <Row key={s.id} submission={s} live={liveIds.has(s.id)} onChange={(c) => update(s.id, c)} />
          ))}
        </ul>
      )}
      {page.data?.nextCursor && (
        <button type="button" className="button secondary" onClick={() => setCursor(page.data!.nextCursor)} disabled={page.loading}>
          {page.loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  );
}
