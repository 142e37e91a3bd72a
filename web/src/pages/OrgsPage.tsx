import { useEffect, useState, type FormEvent } from 'react';
import { api, messageOf } from '../api/client';
import { ErrorMessage, Loading } from '../components/Feedback';
import { useAsync } from '../hooks/useAsync';
import { navigate, useRoute } from '../router';
import { currentMembership, useOrgs, type Org, type OrgRole } from '../stores/org';
import { OrgModels } from './OrgModels';
import { usePageTitle } from './usePageTitle';

const ROLES: OrgRole[] = ['member', 'analyst', 'owner'];

interface Member {
  user: { id: string; username: string; email: string };
  role: OrgRole;
  joinedAt: string;
}

/** Members of the current organisation; owners change roles, remove people and invite by e-mail. */
function Members({ org, role }: { org: Org; role: OrgRole }) {
  const members = useAsync((signal) => api<{ items: Member[] }>(`/api/orgs/${org.id}/members`, { signal }), [org.id]);
  const [email, setEmail] = useState('');
  const [inviteRole, setInviteRole] = useState<OrgRole>('member');
  const [note, setNote] = useState<string | null>(null);
  const owner = role === 'owner';

  const act = async (run: () => Promise<unknown>, done: string) => {
    setNote(null);
    try {
      await run();
      setNote(done);
      members.reload();
    } catch (err) {
      setNote(messageOf(err));
    }
  };
  const invite = (e: FormEvent) => {
    e.preventDefault();
    void act(() => api(`/api/orgs/${org.id}/invitations`, { method: 'POST', body: { email, role: inviteRole } }), `Invitation e-mailed to ${email}.`).then(() => setEmail(''));
  };

  if (members.loading) return <Loading />;
  if (members.error) return <ErrorMessage error={members.error} onRetry={members.reload} />;
  return (
    <section aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      {note && <p role="status">{note}</p>}
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">E-mail</th>
            <th scope="col">Role</th>
            {owner && <th scope="col">Remove</th>}
          </tr>
        </thead>
        <tbody>
          {members.data?.items.map((m) => (
            <tr key={m.user.id}>
              <td>{m.user.username}</td>
              <td>{m.user.email}</td>
              <td>
                {owner ? (
                  <select
                    aria-label={`Role of ${m.user.username}`}
                    value={m.role}
                    onChange={(e) => void act(() => api(`/api/orgs/${org.id}/members/${m.user.id}`, { method: 'PATCH', body: { role: e.target.value } }), `${m.user.username} is now ${e.target.value}.`)}
                  >
                    {ROLES.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                ) : (
                  m.role
                )}
              </td>
              {owner && (
                <td>
                  <button type="button" className="button secondary small" onClick={() => void act(() => api(`/api/orgs/${org.id}/members/${m.user.id}`, { method: 'DELETE' }), `${m.user.username} was removed.`)}>
                    Remove {m.user.username}
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {owner && (
        <form onSubmit={invite}>
          <h3>Invite someone</h3>
          <label>
            E-mail <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          <label>
            Role
            <select value={inviteRole} onChange={(e) => setInviteRole(e.target.value as OrgRole)}>
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <button type="submit" className="button">
            Send invitation
          </button>
        </form>
      )}
    </section>
  );
}

/** `/orgs`: the caller's organisations, a new one, and the current one's members for its owners and analysts. */
export function OrgsPage() {
  usePageTitle('Organisations');
  const { items, load, choose } = useOrgs();
  const current = useOrgs(currentMembership);
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const made = await api<{ org: Org }>('/api/orgs', { method: 'POST', body: { name } });
      await load();
      choose(made.org.id);
      setName('');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <h1>Organisations</h1>
      <ul>
        {items.map(({ org, role }) => (
          <li key={org.id}>
            {org.name} {org.personal ? '(personal)' : ''} — {role}
          </li>
        ))}
      </ul>
      <form onSubmit={(e) => void create(e)}>
        <label>
          New organisation <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" className="button">
          Create
        </button>
        {error !== null && <ErrorMessage error={error} />}
      </form>
      {current && current.role !== 'member' && <Members org={current.org} role={current.role} />}
      {current && current.role !== 'member' && <OrgModels org={current.org} role={current.role} />}
    </>
  );
}

/** `/orgs/accept?token=`: the link of an invitation e-mail. */
export function AcceptInvitationPage() {
  usePageTitle('Invitation');
  const search = useRoute((r) => r.search);
  const { load, choose } = useOrgs();
  const [state, setState] = useState<{ error?: unknown; org?: Org }>({});
  useEffect(() => {
    const token = new URLSearchParams(search).get('token');
    if (!token) return setState({ error: new Error('The link has no invitation code.') });
    api<{ org: Org }>('/api/orgs/invitations/accept', { method: 'POST', body: { token } }).then(
      async ({ org }) => {
        await load();
        choose(org.id);
        setState({ org });
      },
      (error: unknown) => setState({ error }),
    );
  }, [search, load, choose]);
  if (state.error) return <ErrorMessage error={state.error} />;
  if (!state.org) return <Loading label="Accepting the invitation…" />;
  return (
    <>
      <h1>Welcome to {state.org.name}</h1>
      <button type="button" className="button" onClick={() => navigate('/feedback')}>
        See its feedback
      </button>
    </>
  );
}
