import { useState } from 'react';
import { api, messageOf } from '../api/client';
import type { Page, Role, Submission, User } from '../api/types';
import { Empty, ErrorMessage, Loading } from '../components/Feedback';
import { StatusBadge } from '../components/Status';
import { useAsync } from '../hooks/useAsync';
import { Link } from '../router';
import { temporalWorkflowUrl, useClientConfig } from '../stores/clientConfig';
import { useSession } from '../stores/session';
import { submissionTitle } from './MyFeedbackPage';
import { usePageTitle } from './usePageTitle';

function UsersSection() {
  const me = useSession((s) => s.user);
  const users = useAsync((signal) => api<Page<User>>('/api/admin/users?limit=100', { signal }), []);
  const [message, setMessage] = useState<string | null>(null);
  const change = async (u: User, patch: { role?: Role; disabled?: boolean }) => {
    setMessage(null);
    try {
      const { user } = await api<{ user: User }>(`/api/admin/users/${u.id}`, { method: 'PATCH', body: patch });
      users.setData((p) => (p ? { ...p, items: p.items.map((x) => (x.id === user.id ? user : x)) } : p));
      setMessage(`${user.username} is now ${user.disabled ? 'disabled' : user.role}.`);
    } catch (err) {
      setMessage(messageOf(err));
    }
  };
  return (
    <section className="card" aria-labelledby="users-title">
      <h2 id="users-title">People and roles</h2>
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
      {users.error !== null && <ErrorMessage error={users.error} onRetry={users.reload} />}
      {users.loading && <Loading />}
      {users.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Active</th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((u) => (
                <tr key={u.id}>
                  <td>
                    {u.username}
                    <br />
                    <span className="muted small">{u.email}</span>
                  </td>
                  <td>
                    <select aria-label={`Role of ${u.username}`} value={u.role} disabled={u.id === me?.id} onChange={(e) => void change(u, { role: e.target.value as Role })}>
                      <option value="user">user</option>
                      <option value="analyst">analyst</option>
                      <option value="admin">admin</option>
                    </select>
                  </td>
                  <td>
                    <input type="checkbox" aria-label={`${u.username} may sign in`} checked={!u.disabled} disabled={u.id === me?.id} onChange={(e) => void change(u, { disabled: !e.target.checked })} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ProblemsSection() {
  const config = useClientConfig((s) => s.config);
  const problems = useAsync(async (signal) => {
    const [failed, rejected, pipeline] = await Promise.all([
      api<Page<Submission>>('/api/submissions?status=failed&limit=50', { signal }),
      api<Page<Submission>>('/api/submissions?status=rejected&limit=50', { signal }),
      api<{ workflows: { running: number; failed: number } }>('/api/admin/pipeline', { signal }).catch(() => null),
    ]);
    return { items: [...failed.items, ...rejected.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt)), pipeline };
  }, []);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const replay = async (s: Submission) => {
    setBusy(s.id);
    setMessage(null);
    try {
      await api(`/api/admin/submissions/${s.id}/replay`, { method: 'POST' });
      setMessage(`Replaying “${submissionTitle(s)}”.`);
      problems.setData((p) => (p ? { ...p, items: p.items.map((x) => (x.id === s.id ? { ...x, status: 'pending' } : x)) } : p));
    } catch (err) {
      setMessage(messageOf(err));
    } finally {
      setBusy(null);
    }
  };

  const replayAllFailed = async () => {
    setMessage(null);
    try {
      const r = await api<{ started?: string[]; count?: number }>('/api/admin/submissions/replay', { method: 'POST', body: { status: 'failed' } });
      setMessage(`Replaying ${r.started?.length ?? r.count ?? 0} failed submissions.`);
      problems.reload();
    } catch (err) {
      setMessage(messageOf(err));
    }
  };

  return (
    <section className="card" aria-labelledby="problems-title">
      <h2 id="problems-title">Failed and rejected feedback</h2>
      {problems.data?.pipeline && (
        <p className="muted">
          Workflows running: {problems.data.pipeline.workflows.running}; failed in Temporal: {problems.data.pipeline.workflows.failed}.
        </p>
      )}
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
      {problems.error !== null && <ErrorMessage error={problems.error} onRetry={problems.reload} />}
      {problems.loading && <Loading />}
      {problems.data && problems.data.items.length === 0 && <Empty>Nothing failed or was rejected.</Empty>}
      {problems.data && problems.data.items.length > 0 && (
        <>
          <button type="button" className="button secondary" onClick={() => void replayAllFailed()}>
            Replay all failed
          </button>
          <ul className="list" aria-label="Failed and rejected feedback">
            {problems.data.items.map((s) => (
              <li key={s.id} className="row problem">
                <div>
                  <Link to={`/feedback/${s.id}`} className="row-title">
                    {submissionTitle(s)}
                  </Link>
                  <p className="small">{s.progress.error ? `${s.progress.error.code}: ${s.progress.error.message}` : 'No reason recorded.'}</p>
                  <p className="small">
                    <a href={temporalWorkflowUrl(config, s.id)} target="_blank" rel="noreferrer">
                      Workflow submission-{s.id.slice(0, 8)}… in the Temporal UI
                    </a>
                  </p>
                </div>
                <div className="row-actions">
                  <StatusBadge status={s.status} />
                  <button type="button" className="button small" disabled={busy === s.id || s.status === 'pending'} onClick={() => void replay(s)} aria-label={`Replay ${submissionTitle(s)}`}>
                    Replay
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Admins: people and roles; failed and rejected submissions with their reason, replay, and Temporal UI links. */
export function AdminPage() {
  usePageTitle('Admin');
  return (
    <>
      <h1>Admin</h1>
      <ProblemsSection />
      <UsersSection />
    </>
  );
}
