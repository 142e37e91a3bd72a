jest.setTimeout(120_000);

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from '../support/apiClient';
import { waitForMail } from '../support/mailbox';
import { startApi, type RunningApi } from '../support/services';
import { synth } from '../support/speech';

/** `/api/orgs` on the real API and PostgreSQL (API.md "Organisations"). */
let api: RunningApi;
const mailDir = mkdtempSync(path.join(os.tmpdir(), 'voyce-orgs-mail-'));

beforeAll(async () => {
  api = await startApi({ MAIL_DIR: mailDir });
});
afterAll(async () => {
  await api?.close();
});

async function person(): Promise<{ c: ApiClient; user: { id: string; email: string; username: string } }> {
  const c = new ApiClient(api.url);
  return { c, user: await c.registerFresh() };
}

/** An organisation of `owner` with `guest` in it as `role`, joined through an e-mailed invitation. */
async function orgWith(owner: ApiClient, guest: { c: ApiClient; user: { email: string } }, role: 'member' | 'analyst' | 'owner') {
  const made = await owner.json('POST', '/api/orgs', { name: `Team ${Math.random().toString(36).slice(2, 8)}` });
  expect(made.status).toBe(201);
  const orgId = made.body.org.id as string;
  const inv = await owner.json('POST', `/api/orgs/${orgId}/invitations`, { email: guest.user.email, role });
  expect(inv.status).toBe(201);
  const accepted = await guest.c.json('POST', '/api/orgs/invitations/accept', { token: inv.body.token });
  expect(accepted.status).toBe(200);
  return orgId;
}

it('registration makes a personal organisation the user owns, listed first', async () => {
  const { c, user } = await person();
  const mine = await c.json('GET', '/api/orgs');
  expect(mine.status).toBe(200);
  expect(mine.body.items).toEqual([{ org: { id: expect.any(String), name: user.username, personal: true, createdAt: expect.any(String) }, role: 'owner' }]);
  const made = await c.json('POST', '/api/orgs', { name: 'Acme support' });
  expect(made.status).toBe(201);
  expect(made.body).toEqual({ org: { id: expect.any(String), name: 'Acme support', personal: false, createdAt: expect.any(String) }, role: 'owner' });
  const after = await c.json('GET', '/api/orgs');
  expect(after.body.items.map((i: { org: { name: string } }) => i.org.name)).toEqual([user.username, 'Acme support']);
  expect((await c.json('GET', `/api/orgs/${made.body.org.id}`)).body.org.name).toBe('Acme support');
  expect((await c.json('POST', '/api/orgs', { name: '   ' })).status).toBe(422);
});

it('invites by e-mail; the token works once, for that e-mail only', async () => {
  const owner = await person();
  const guest = await person();
  const stranger = await person();
  const orgId = (await owner.c.json('POST', '/api/orgs', { name: 'Invited' })).body.org.id;
  const inv = await owner.c.json('POST', `/api/orgs/${orgId}/invitations`, { email: guest.user.email, role: 'analyst' });
  expect(inv.status).toBe(201);
  expect(inv.body.invitation).toEqual({ id: expect.any(String), email: guest.user.email, role: 'analyst', expiresAt: expect.any(String) });
  const days = (Date.parse(inv.body.invitation.expiresAt) - Date.now()) / 86_400_000;
  expect(days).toBeGreaterThan(6.9);
  expect(days).toBeLessThan(7.1);
  const mail = await waitForMail(mailDir, guest.user.email);
  expect(mail.text).toContain(inv.body.token);
  expect(mail.text).toContain('Invited');
  // The stored invitation holds a digest, never the token.
  const row = await api.deps.db('org_invitations').where({ id: inv.body.invitation.id }).first();
  expect(row.token_hash).not.toContain(inv.body.token);

  const wrong = await stranger.c.json('POST', '/api/orgs/invitations/accept', { token: inv.body.token });
  expect(wrong.status).toBe(403);
  const ok = await guest.c.json('POST', '/api/orgs/invitations/accept', { token: inv.body.token });
  expect(ok.status).toBe(200);
  expect(ok.body).toMatchObject({ org: { id: orgId, name: 'Invited', personal: false }, role: 'analyst' });
  const again = await guest.c.json('POST', '/api/orgs/invitations/accept', { token: inv.body.token });
  expect(again.status).toBe(410);
  expect(again.body.error.code).toBe('invitation_used');
  expect((await guest.c.json('POST', '/api/orgs/invitations/accept', { token: 'x'.repeat(43) })).status).toBe(404);

  const late = await owner.c.json('POST', `/api/orgs/${orgId}/invitations`, { email: stranger.user.email, role: 'member' });
  await api.deps.db('org_invitations').where({ id: late.body.invitation.id }).update({ expires_at: api.deps.db.raw("now() - interval '1 second'") });
  const expired = await stranger.c.json('POST', '/api/orgs/invitations/accept', { token: late.body.token });
  expect(expired.status).toBe(410);
  expect(expired.body.error.code).toBe('invitation_expired');
});

it('members see their organisation but not its members; analysts see members; only owners change anything', async () => {
  const owner = await person();
  const member = await person();
  const analyst = await person();
  const orgId = await orgWith(owner.c, member, 'member');
  const inv = await owner.c.json('POST', `/api/orgs/${orgId}/invitations`, { email: analyst.user.email, role: 'analyst' });
  await analyst.c.json('POST', '/api/orgs/invitations/accept', { token: inv.body.token });

  expect((await member.c.json('GET', `/api/orgs/${orgId}`)).status).toBe(200);
  expect((await member.c.json('GET', `/api/orgs/${orgId}/members`)).status).toBe(403);
  const members = await analyst.c.json('GET', `/api/orgs/${orgId}/members`);
  expect(members.status).toBe(200);
  expect(members.body.items).toEqual(
    expect.arrayContaining([
      { user: { id: owner.user.id, username: owner.user.username, email: owner.user.email }, role: 'owner', joinedAt: expect.any(String) },
      { user: { id: member.user.id, username: member.user.username, email: member.user.email }, role: 'member', joinedAt: expect.any(String) },
    ]),
  );
  expect(members.body.items).toHaveLength(3);
  for (const c of [member.c, analyst.c]) {
    expect((await c.json('PATCH', `/api/orgs/${orgId}`, { name: 'Mine now' })).status).toBe(403);
    expect((await c.json('POST', `/api/orgs/${orgId}/invitations`, { email: 'x@example.test', role: 'owner' })).status).toBe(403);
    expect((await c.json('PATCH', `/api/orgs/${orgId}/members/${owner.user.id}`, { role: 'member' })).status).toBe(403);
    expect((await c.json('DELETE', `/api/orgs/${orgId}/members/${owner.user.id}`)).status).toBe(403);
  }
  const renamed = await owner.c.json('PATCH', `/api/orgs/${orgId}`, { name: 'Renamed' });
  expect(renamed.status).toBe(200);
  expect(renamed.body.org.name).toBe('Renamed');
});

it("another organisation's resources are 404, and so is an unknown one", async () => {
  const owner = await person();
  const outsider = await person();
  const orgId = (await owner.c.json('POST', '/api/orgs', { name: 'Private' })).body.org.id;
  for (const [method, p, body] of [
    ['GET', `/api/orgs/${orgId}`],
    ['PATCH', `/api/orgs/${orgId}`, { name: 'x' }],
    ['GET', `/api/orgs/${orgId}/members`],
    ['POST', `/api/orgs/${orgId}/invitations`, { email: outsider.user.email, role: 'owner' }],
    ['PATCH', `/api/orgs/${orgId}/members/${owner.user.id}`, { role: 'member' }],
    ['DELETE', `/api/orgs/${orgId}/members/${owner.user.id}`],
    ['GET', `/api/orgs/${crypto.randomUUID()}`],
    ['GET', '/api/orgs/not-a-uuid'],
  ] as const) {
    const res = await outsider.c.json(method, p, body);
    expect([method, p, res.status]).toEqual([method, p, 404]);
  }
  expect((await owner.c.json('GET', `/api/orgs/${orgId}/members`)).body.items).toHaveLength(1);
});

it('keeps at least one owner; role changes and removals take effect on the next request with the same token', async () => {
  const owner = await person();
  const other = await person();
  const orgId = await orgWith(owner.c, other, 'analyst');
  const demoteSelf = await owner.c.json('PATCH', `/api/orgs/${orgId}/members/${owner.user.id}`, { role: 'analyst' });
  expect(demoteSelf.status).toBe(409);
  expect(demoteSelf.body.error.code).toBe('last_owner');
  expect((await owner.c.json('DELETE', `/api/orgs/${orgId}/members/${owner.user.id}`)).status).toBe(409);

  expect((await other.c.json('GET', `/api/orgs/${orgId}/members`)).status).toBe(200);
  const demoted = await owner.c.json('PATCH', `/api/orgs/${orgId}/members/${other.user.id}`, { role: 'member' });
  expect(demoted.status).toBe(200);
  expect(demoted.body.member).toMatchObject({ user: { id: other.user.id }, role: 'member' });
  expect((await other.c.json('GET', `/api/orgs/${orgId}/members`)).status).toBe(403);

  // Promoted to owner, the other can now demote the first, who is no longer the last owner.
  await owner.c.json('PATCH', `/api/orgs/${orgId}/members/${other.user.id}`, { role: 'owner' });
  expect((await other.c.json('PATCH', `/api/orgs/${orgId}/members/${owner.user.id}`, { role: 'member' })).status).toBe(200);
  expect((await owner.c.json('PATCH', `/api/orgs/${orgId}`, { name: 'nope' })).status).toBe(403);

  // Removed: the very next request with the old token is a stranger's.
  expect((await other.c.json('DELETE', `/api/orgs/${orgId}/members/${owner.user.id}`)).status).toBe(204);
  expect((await owner.c.json('GET', `/api/orgs/${orgId}`)).status).toBe(404);
  expect((await owner.c.json('GET', '/api/orgs')).body.items.map((i: { org: { id: string } }) => i.org.id)).not.toContain(orgId);
});

it('a member can leave; the last owner cannot', async () => {
  const owner = await person();
  const member = await person();
  const orgId = await orgWith(owner.c, member, 'member');
  const other = await person();
  expect((await member.c.json('DELETE', `/api/orgs/${orgId}/members/${owner.user.id}`)).status).toBe(403);
  expect((await member.c.json('DELETE', `/api/orgs/${orgId}/members/${member.user.id}`)).status).toBe(204);
  expect((await member.c.json('GET', `/api/orgs/${orgId}`)).status).toBe(404);
  expect((await owner.c.json('DELETE', `/api/orgs/${orgId}/members/${other.user.id}`)).status).toBe(404);
  const personal = (await owner.c.json('GET', '/api/orgs')).body.items.find((i: { org: { personal: boolean } }) => i.org.personal).org.id;
  expect((await owner.c.json('DELETE', `/api/orgs/${personal}/members/${owner.user.id}`)).status).toBe(409);
});

it('files an upload in the organisation it names, the personal one by default, and refuses an organisation not the uploader\'s', async () => {
  const owner = await person();
  const member = await person();
  const outsider = await person();
  const orgId = await orgWith(owner.c, member, 'member');
  const clip = synth('sine=frequency=440', 1.5);
  const inOrg = await member.c.upload(clip, { filename: 'a.wav', fields: { orgId } });
  expect(inOrg.status).toBe(202);
  expect(inOrg.body.submission.orgId).toBe(orgId);
  const personal = (await member.c.json('GET', '/api/orgs')).body.items.find((i: { org: { personal: boolean } }) => i.org.personal).org.id;
  const byDefault = await member.c.upload(clip, { filename: 'b.wav' });
  expect(byDefault.status).toBe(202);
  expect(byDefault.body.submission.orgId).toBe(personal);
  const refused = await outsider.c.upload(clip, { filename: 'c.wav', fields: { orgId } });
  expect(refused.status).toBe(404);
  expect(await api.deps.db('voice_submissions').where({ user_id: outsider.user.id }).count('* as n').first()).toEqual({ n: 0 });
  expect((await outsider.c.upload(clip, { filename: 'd.wav', fields: { orgId: 'nope' } })).status).toBe(422);
});
