import { act, fireEvent, render, screen, waitFor } from '@testing-library/react-native';
import type { OrgMembership } from '@voyce/api-client';
import { AppRoot } from '../AppRoot';
import { orgChoiceKey } from '../state/orgChoice';
import { createTestDeps, submission } from '../testing/fakes';

const personal: OrgMembership = { org: { id: 'org-home', name: 'ada', personal: true }, role: 'owner' };
const acme: OrgMembership = { org: { id: 'org-acme', name: 'Acme', personal: false }, role: 'member' };

async function renderRecord(orgs: OrgMembership[], opts: Parameters<typeof createTestDeps>[0] = {}, remembered?: { id: string; name: string }) {
  const deps = createTestDeps(opts);
  deps.server.on('GET /api/submissions', () => ({ status: 200, body: { items: [], nextCursor: null } }));
  deps.server.on('GET /api/orgs', () => ({ status: 200, body: { items: orgs } }));
  deps.server.on('POST /api/submissions/upload', () => ({ status: 202, body: { submission: submission({ id: 's-1' }) } }));
  if (remembered) await deps.kv.set(orgChoiceKey('u1'), JSON.stringify(remembered));
  await deps.session.load();
  await deps.queue.start();
  render(<AppRoot deps={deps} />);
  await screen.findByText('Record feedback');
  return deps;
}

async function pickAndReview() {
  fireEvent.press(screen.getByRole('button', { name: 'Pick an audio file' }));
  await screen.findByDisplayValue('picked');
}

const uploads = (deps: Awaited<ReturnType<typeof renderRecord>>) => deps.server.requests.filter((r) => r.path === '/api/submissions/upload');


describe('RecordScreen organisation', () => {
  it('offers the organisations, personal first, sends the picked one and remembers it for this account', async () => {
    const deps = await renderRecord([acme, personal]);
    await pickAndReview();
    const radios = await screen.findAllByRole('radio', { name: /ada \(personal\)|Acme/ });
    expect(radios.map((r) => r.props.accessibilityLabel)).toEqual(['ada (personal)', 'Acme']);
    expect(screen.getByRole('radio', { name: 'ada (personal)' }).props.accessibilityState).toEqual({ checked: true });
    fireEvent.press(screen.getByRole('radio', { name: 'Acme' }));
    await waitFor(() => expect(screen.getByRole('radio', { name: 'Acme' }).props.accessibilityState).toEqual({ checked: true }));
    fireEvent.press(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(uploads(deps)).toHaveLength(1));
    expect((uploads(deps)[0]!.body as FormData).get('orgId')).toBe('org-acme');
    expect(JSON.parse((await deps.kv.get(orgChoiceKey('u1')))!)).toEqual({ id: 'org-acme', name: 'Acme' });
  });

  it('restores the remembered organisation, and a recording saved offline keeps it until it is sent', async () => {
    const deps = await renderRecord([personal, acme], { online: false }, { id: 'org-acme', name: 'Acme' });
    await pickAndReview();
    fireEvent.press(screen.getByRole('button', { name: 'Save for later' }));
    await waitFor(() => expect([...deps.store.items.values()]).toEqual([expect.objectContaining({ orgId: 'org-acme', state: 'waiting' })]));
    act(() => deps.net.set(true));
    await waitFor(() => expect(uploads(deps)).toHaveLength(1));
    expect((uploads(deps)[0]!.body as FormData).get('orgId')).toBe('org-acme');
  });

  it('falls back to the personal organisation when the remembered one was left, and says so', async () => {
    const deps = await renderRecord([personal, acme], {}, { id: 'org-gone', name: 'Old Corp' });
    expect(await screen.findByText('You are no longer in Old Corp: new recordings go to ada (personal).')).toBeTruthy();
    await pickAndReview();
    fireEvent.press(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(uploads(deps)).toHaveLength(1));
    expect((uploads(deps)[0]!.body as FormData).get('orgId')).toBe('org-home');
  });

  it('shows no picker to a person in one organisation', async () => {
    await renderRecord([personal]);
    await pickAndReview();
    expect(screen.queryByRole('radiogroup', { name: 'Organisation' })).toBeNull();
    expect(screen.queryByRole('radio', { name: 'ada (personal)' })).toBeNull();
  });
});
