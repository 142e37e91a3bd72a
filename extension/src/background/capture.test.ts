import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureTab, findTargetTab } from './capture';

const EXT = 'chrome-extension://abc/';
const tab = (over: Partial<chrome.tabs.Tab>) => ({ id: 1, windowId: 9, active: false, url: 'https://a.example/', title: 'A', lastAccessed: 0, ...over }) as chrome.tabs.Tab;

function fakeChrome(opts: { tabs: chrome.tabs.Tab[]; script?: () => Promise<unknown>; capture?: () => Promise<string> }) {
  const capture = vi.fn(opts.capture ?? (async () => 'data:image/jpeg;base64,/9j/'));
  vi.stubGlobal('chrome', {
    runtime: { getURL: (p: string) => EXT + p },
    tabs: {
      query: async (q: { active?: boolean }) => (q.active ? opts.tabs.filter((t) => t.active) : opts.tabs),
      captureVisibleTab: capture,
    },
    scripting: { executeScript: opts.script ?? (async () => [{ result: { url: 'https://a.example/x', title: 'From page', selection: 'picked', viewport: { width: 800, height: 600 } } }]) },
  });
  return { capture };
}

afterEach(() => vi.unstubAllGlobals());

describe('findTargetTab', () => {
  it('takes the active tab of the focused window', async () => {
    fakeChrome({ tabs: [tab({ id: 1, active: true }), tab({ id: 2, lastAccessed: 99 })] });
    expect((await findTargetTab())?.id).toBe(1);
  });

  it("skips this extension's own page (the popup opened as a tab) for the web page used last", async () => {
    fakeChrome({ tabs: [tab({ id: 1, active: true, url: `${EXT}popup.html` }), tab({ id: 2, lastAccessed: 5 }), tab({ id: 3, lastAccessed: 7 }), tab({ id: 4, lastAccessed: 9, url: 'chrome://settings' })] });
    expect((await findTargetTab())?.id).toBe(3);
  });
});

describe('captureTab', () => {
  it('reads the page inside the tab and screenshots it when it is what its window shows', async () => {
    const { capture } = fakeChrome({ tabs: [] });
    const got = await captureTab(tab({ active: true }));
    expect(got.facts).toEqual({ url: 'https://a.example/x', title: 'From page', selection: 'picked', viewport: { width: 800, height: 600 } });
    expect(got.screenshot).toMatch(/^data:image\/jpeg/);
    expect(capture).toHaveBeenCalledWith(9, { format: 'jpeg', quality: 80 });
    expect(got.notes).toEqual([]);
  });

  it('never screenshots a tab in the background (it would capture another page)', async () => {
    const { capture } = fakeChrome({ tabs: [] });
    const got = await captureTab(tab({ active: false }));
    expect(capture).not.toHaveBeenCalled();
    expect(got.screenshot).toBeUndefined();
    expect(got.notes.join(' ')).toMatch(/not the visible tab/);
  });

  it('falls back to the tab URL and title and the context-menu selection where scripts may not run', async () => {
    fakeChrome({ tabs: [], script: () => Promise.reject(new Error('Cannot access contents of the page')), capture: () => Promise.reject(new Error('activeTab not granted')) });
    const got = await captureTab(tab({ active: true, url: 'https://store.example/item', title: 'Item' }), 'menu selection');
    expect(got.facts).toEqual({ url: 'https://store.example/item', title: 'Item', selection: 'menu selection' });
    expect(got.screenshot).toBeUndefined();
    expect(got.notes).toHaveLength(2);
    expect(got.notes.join(' ')).toMatch(/Cannot access.*activeTab not granted/s);
  });
});
