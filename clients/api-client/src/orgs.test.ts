import { lostOrgMessage, needsOrgPicker, orderedOrgs, orgLabel, parseRememberedOrg, resolveOrgChoice, type OrgMembership } from './orgs';

const m = (id: string, name: string, personal = false): OrgMembership => ({ org: { id, name, personal }, role: personal ? 'owner' : 'member' });
const items = [m('b', 'Zeta Ltd'), m('p', 'ann', true), m('a', 'Acme')];

describe('organisation choice', () => {
  it('names and orders organisations as the web app does: the personal one first', () => {
    expect(orderedOrgs(items).map((x) => orgLabel(x.org))).toEqual(['ann (personal)', 'Acme', 'Zeta Ltd']);
    expect(needsOrgPicker(items)).toBe(true);
    expect(needsOrgPicker([m('p', 'ann', true)])).toBe(false);
  });

  it('keeps a remembered organisation the caller is still in, and falls back to the personal one otherwise', () => {
    expect(resolveOrgChoice(items, { id: 'a', name: 'Acme' })).toEqual({ org: items[2]!.org });
    expect(resolveOrgChoice(items, null)).toEqual({ org: items[1]!.org });
    const gone = resolveOrgChoice(items, { id: 'x', name: 'Old Corp' });
    expect(gone).toEqual({ org: items[1]!.org, lost: 'Old Corp' });
    expect(lostOrgMessage(gone.lost!, gone.org)).toBe('You are no longer in Old Corp: new recordings go to ann (personal).');
    expect(resolveOrgChoice([], { id: 'x', name: 'Old Corp' })).toEqual({ org: null, lost: 'Old Corp' });
  });

  it('reads only well-formed remembered choices', () => {
    expect(parseRememberedOrg('{"id":"a","name":"Acme"}')).toEqual({ id: 'a', name: 'Acme' });
    expect(parseRememberedOrg({ id: 'a', name: 'Acme' })).toEqual({ id: 'a', name: 'Acme' });
    expect(parseRememberedOrg('not json')).toBeNull();
    expect(parseRememberedOrg({ id: 3 })).toBeNull();
    expect(parseRememberedOrg(undefined)).toBeNull();
  });
});
