import { abilityFor, can, shareOf } from './permissions';
import { scopeOf } from './requestScope';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const me = '00000000-0000-4000-8000-0000000000e1';
const other = '00000000-0000-4000-8000-0000000000e2';
const person = (memberships: { orgId: string; role: 'member' | 'analyst' | 'owner' }[], role: 'user' | 'analyst' | 'admin' = 'user') => ({ id: me, role, memberships });

describe('permission module', () => {
  it('a member reads and changes only their own submissions in their organisation, nothing elsewhere', () => {
    const ability = abilityFor(person([{ orgId: A, role: 'member' }]));
    expect(can(ability, 'read', 'Submission', { orgId: A, userId: me })).toBe(true);
    expect(can(ability, 'read', 'Submission', { orgId: A, userId: other })).toBe(false);
    expect(can(ability, 'read', 'Submission', { orgId: B, userId: me })).toBe(false);
    expect(can(ability, 'read', 'Membership', { orgId: A })).toBe(false);
    expect(can(ability, 'leave', 'Membership', { orgId: A, userId: me })).toBe(true);
    expect(can(ability, 'delete', 'Membership', { orgId: A, userId: other })).toBe(false);
    expect(shareOf(ability, A, me)).toBe('own');
    expect(shareOf(ability, B, me)).toBe('none');
  });

  it('an analyst reads all of the organisation but changes only their own; an owner also runs it', () => {
    const analyst = abilityFor(person([{ orgId: A, role: 'analyst' }]));
    expect(can(analyst, 'read', 'Submission', { orgId: A, userId: other })).toBe(true);
    expect(can(analyst, 'update', 'Submission', { orgId: A, userId: other })).toBe(false);
    expect(can(analyst, 'invite', 'Organisation', { id: A })).toBe(false);
    expect(shareOf(analyst, A, me, 'Analytics')).toBe('all');
    const owner = abilityFor(person([{ orgId: A, role: 'owner' }]));
    expect(can(owner, 'invite', 'Organisation', { id: A })).toBe(true);
    expect(can(owner, 'update', 'Membership', { orgId: A, userId: other })).toBe(true);
    expect(can(owner, 'update', 'Membership', { orgId: B, userId: other })).toBe(false);
  });

  it('the owner of a submission, and analysts and owners of its organisation, correct its labels; members only their own', () => {
    const member = abilityFor(person([{ orgId: A, role: 'member' }]));
    expect(can(member, 'correct', 'Submission', { orgId: A, userId: me })).toBe(true);
    expect(can(member, 'correct', 'Submission', { orgId: A, userId: other })).toBe(false);
    for (const role of ['analyst', 'owner'] as const) {
      const ability = abilityFor(person([{ orgId: A, role }]));
      expect([role, can(ability, 'correct', 'Submission', { orgId: A, userId: other })]).toEqual([role, true]);
      expect([role, can(ability, 'correct', 'Submission', { orgId: B, userId: other })]).toEqual([role, false]);
    }
    expect(can(abilityFor(person([], 'analyst')), 'correct', 'Submission', { orgId: B, userId: other })).toBe(false);
  });

  it('organisation models: owners train, analysts and owners read, members neither, nobody elsewhere', () => {
    const member = abilityFor(person([{ orgId: A, role: 'member' }]));
    const analyst = abilityFor(person([{ orgId: A, role: 'analyst' }]));
    const owner = abilityFor(person([{ orgId: A, role: 'owner' }]));
    expect([member, analyst, owner].map((a) => can(a, 'read', 'OrgModel', { orgId: A }))).toEqual([false, true, true]);
    expect([member, analyst, owner].map((a) => can(a, 'train', 'OrgModel', { orgId: A }))).toEqual([false, false, true]);
    expect(can(owner, 'train', 'OrgModel', { orgId: B })).toBe(false);
    expect(can(owner, 'read', 'OrgModel', { orgId: B })).toBe(false);
  });

  it('platform staff read everything; only admins change it', () => {
    const staff = abilityFor(person([], 'analyst'));
    expect(can(staff, 'read', 'Submission', { orgId: B, userId: other })).toBe(true);
    expect(can(staff, 'update', 'Submission', { orgId: B, userId: other })).toBe(false);
    expect(can(abilityFor(person([], 'admin')), 'delete', 'Submission', { orgId: B, userId: other })).toBe(true);
  });

  it('the database scope is the memberships, or everything for platform staff', () => {
    expect(scopeOf(person([{ orgId: A, role: 'member' }, { orgId: B, role: 'owner' }]))).toEqual({ all: false, orgIds: [A, B] });
    expect(scopeOf(person([], 'admin'))).toEqual({ all: true });
  });
});
