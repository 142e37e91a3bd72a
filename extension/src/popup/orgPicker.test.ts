import type { OrgMembership } from '@voyce/api-client';
import { describe, expect, it } from 'vitest';
import { orgKey, type OrgsAnswer } from '../shared/orgChoice';
import { createOrgPicker, type OrgPickerView } from './orgPicker';

const m = (id: string, name: string, personal = false): OrgMembership => ({ org: { id, name, personal }, role: personal ? 'owner' : 'member' });

/** chrome.storage.local as a Map. */
function memoryStorage(initial: Record<string, unknown> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    get: (async (key: string) => (data.has(key) ? { [key]: data.get(key) } : {})) as never,
    set: (async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => data.set(k, v))) as never,
  };
}

function fakeView() {
  const view = { options: [] as { value: string; label: string }[], value: '', visible: false, text: '' };
  const port: OrgPickerView = {
    setOptions: (options, value) => Object.assign(view, { options, value }),
    show: (visible) => void (view.visible = visible),
    note: (text) => void (view.text = text),
  };
  return { view, port };
}

describe('the popup organisation picker', () => {
  it('lists the personal organisation first, named as the web app does, and remembers the choice per user', async () => {
    const storage = memoryStorage();
    const { view, port } = fakeView();
    const answer: OrgsAnswer = { userId: 'u1', items: [m('acme', 'Acme'), m('home', 'ann', true)] };
    const picker = createOrgPicker(port, async () => answer, storage);
    await picker.refresh();
    expect(view.visible).toBe(true);
    expect(view.options).toEqual([{ value: 'home', label: 'ann (personal)' }, { value: 'acme', label: 'Acme' }]);
    expect(picker.current()).toBe('home');

    await picker.choose('acme');
    expect(picker.current()).toBe('acme');
    expect(storage.data.get(orgKey('u1'))).toEqual({ id: 'acme', name: 'Acme' });

    // The popup opened again: the choice is restored; another user on this browser has their own.
    const again = createOrgPicker(fakeView().port, async () => answer, storage);
    await again.refresh();
    expect(again.current()).toBe('acme');
    const other = createOrgPicker(fakeView().port, async () => ({ userId: 'u2', items: [m('bob', 'bob', true), m('acme', 'Acme')] }), storage);
    await other.refresh();
    expect(other.current()).toBe('bob');
  });

  it('is hidden for a person in one organisation, and ignores choices that are not offered', async () => {
    const storage = memoryStorage();
    const { view, port } = fakeView();
    const picker = createOrgPicker(port, async () => ({ userId: 'u1', items: [m('home', 'ann', true)] }), storage);
    await picker.refresh();
    expect(view.visible).toBe(false);
    expect(picker.current()).toBe('home');
    await picker.choose('somebody-elses');
    expect(picker.current()).toBe('home');
    expect(storage.data.size).toBe(0);
  });

  it('falls back to the personal organisation when the remembered one was left, and says so', async () => {
    const storage = memoryStorage({ [orgKey('u1')]: { id: 'gone', name: 'Old Corp' } });
    const { view, port } = fakeView();
    const picker = createOrgPicker(port, async () => ({ userId: 'u1', items: [m('home', 'ann', true), m('acme', 'Acme')] }), storage);
    await picker.refresh();
    expect(picker.current()).toBe('home');
    expect(view.value).toBe('home');
    expect(view.text).toBe('You are no longer in Old Corp: new recordings go to ann (personal).');
    expect(storage.data.get(orgKey('u1'))).toEqual({ id: 'home', name: 'ann' });
  });

  it('keeps the remembered organisation while the server cannot be asked, and sends none when signed out', async () => {
    const storage = memoryStorage({ [orgKey('u1')]: { id: 'acme', name: 'Acme' } });
    const { view, port } = fakeView();
    let answer: OrgsAnswer | null = { userId: 'u1', items: null };
    const picker = createOrgPicker(port, async () => answer, storage);
    await picker.refresh();
    expect(picker.current()).toBe('acme');
    expect(view.visible).toBe(false);
    answer = null;
    await picker.refresh();
    expect(picker.current()).toBeUndefined();
  });
});
