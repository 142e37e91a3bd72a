import { useState, type FormEvent } from 'react';
import { INTENTS, SENTIMENTS } from '@voyce/api-client';
import { api } from '../api/client';
import { STATUSES, type Page, type Submission, type UserStats } from '../api/types';
import { Empty, ErrorMessage, Loading } from '../components/Feedback';
import { StatusBadge } from '../components/Status';
import { useAsync } from '../hooks/useAsync';
import { Link } from '../router';
import { submissionTitle } from './MyFeedbackPage';
import { CATEGORIES } from './RecordPage';
import { usePageTitle } from './usePageTitle';

interface Filters {
  q: string;
  status: string;
  category: string;
  userId: string;
  sentiment: string;
  intent: string;
}

const EMPTY: Filters = { q: '', status: '', category: '', userId: '', sentiment: '', intent: '' };

/** Loads one page of matches, filtered by the server, with each match's transcript text and analysis. */
async function searchPage(f: Filters, cursor: string | null, signal: AbortSignal): Promise<Page<Submission>> {
  const q = new URLSearchParams({ limit: '20', include: 'results' });
  for (const k of ['q', 'status', 'category', 'userId', 'sentiment', 'intent'] as const) if (f[k]) q.set(k, f[k]);
  if (cursor) q.set('cursor', cursor);
  return api<Page<Submission>>(`/api/submissions?${q}`, { signal });
}

/** Full-text search over everyone's feedback (analysts and admins), with filters. */
export function SearchPage() {
  usePageTitle('Search feedback');
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [cursor, setCursor] = useState<string | null>(null);
  // Everyone who sent something in the last five years (the longest range the analytics API answers).
  const users = useAsync((signal) => api<UserStats[]>(`/api/analytics/users?from=${new Date(Date.now() - 5 * 365 * 86_400_000).toISOString()}`, { signal }), []);
  const results = useAsync((signal) => searchPage(filters, cursor, signal), [filters, cursor]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCursor(null);
    setFilters({ ...draft, q: draft.q.trim() });
  };
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });
  const select = (k: keyof Filters, label: string, options: { value: string; label: string }[]) => (
    <div className="field">
      <label htmlFor={`f-${k}`}>{label}</label>
      <select id={`f-${k}`} value={draft[k]} onChange={set(k)}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <>
      <h1>Search feedback</h1>
      <form className="card filters" role="search" onSubmit={submit}>
        <div className="field grow">
          <label htmlFor="f-q">Words in the transcript, title or description</label>
          <input id="f-q" type="search" value={draft.q} onChange={set('q')} />
        </div>
        {select('status', 'Status', STATUSES.map((s) => ({ value: s, label: s })))}
        {select('category', 'Category', CATEGORIES.map((c) => ({ value: c, label: c })))}
        {select('sentiment', 'Sentiment', SENTIMENTS.map((s) => ({ value: s, label: s })))}
        {select('intent', 'Intent', INTENTS.map((i) => ({ value: i, label: i.replace(/_/g, ' ') })))}
        {select('userId', 'Person', (users.data ?? []).map((u) => ({ value: u.userId, label: u.username })))}
        <div className="actions">
          <button type="submit" className="button">
            Search
          </button>
        </div>
      </form>
      {results.error !== null && <ErrorMessage error={results.error} onRetry={results.reload} />}
      {results.loading && <Loading label="Searching…" />}
      {!results.loading && results.data && results.data.items.length === 0 && <Empty>No feedback matches{cursor ? ' on this page' : ''}.</Empty>}
      {!results.loading && results.data && results.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="results">
            <caption className="visually-hidden">Matching feedback</caption>
            <thead>
              <tr>
                <th scope="col">Feedback</th>
                <th scope="col">Status</th>
                <th scope="col">Sentiment</th>
                <th scope="col">Intent</th>
                <th scope="col">Sent</th>
              </tr>
            </thead>
            <tbody>
              {results.data.items.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to={`/feedback/${s.id}`}>{submissionTitle(s)}</Link>
                    {s.transcription && <p className="muted small clamp">{s.transcription.text}</p>}
                  </td>
                  <td>
                    <StatusBadge status={s.status} />
                  </td>
                  <td>{s.analysis?.sentiment.label ?? '–'}</td>
                  <td>{s.analysis?.intent.label.replace(/_/g, ' ') ?? '–'}</td>
                  <td>{new Date(s.createdAt).toLocaleDateString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {results.data?.nextCursor && !results.loading && (
        <button type="button" className="button secondary" onClick={() => setCursor(results.data!.nextCursor)}>
          Next page
        </button>
      )}
    </>
  );
}
