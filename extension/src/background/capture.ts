import { type PageFacts, readPageFacts } from '../shared/context';

/** What was captured of the page the person is looking at (kept in chrome.storage.session until sent). */
export interface CapturedContext {
  tabId: number;
  capturedAt: number;
  facts: PageFacts;
  /** A JPEG data URL of the visible tab, when it could be taken. */
  screenshot?: string;
  /** Why a part is missing (a chrome:// page, no access to the tab, …). */
  notes: string[];
}

const isWebPage = (url?: string) => !!url && /^https?:/.test(url);

/**
 * The tab the feedback is about: the active tab of the last focused window, unless that is one of this
 * extension's own pages (the popup opened as a tab), then the web page used most recently.
 */
export async function findTargetTab(): Promise<chrome.tabs.Tab | undefined> {
  const [active] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
  if (active && !active.url?.startsWith(chrome.runtime.getURL(''))) return active;
  const tabs = (await chrome.tabs.query({})).filter((t) => isWebPage(t.url));
  return tabs.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))[0];
}

/** Reads URL, title, selection and viewport from the tab, and a screenshot of it if it is what its window shows. */
export async function captureTab(tab: chrome.tabs.Tab, fallbackSelection?: string): Promise<CapturedContext> {
  const notes: string[] = [];
  let facts: PageFacts = { url: tab.url, title: tab.title };
  if (tab.id === undefined) throw new Error('the tab has no id');
  try {
    const [frame] = await chrome.scripting.executeScript({ target: { tabId: tab.id }, func: readPageFacts });
    if (frame?.result) facts = frame.result as PageFacts;
  } catch (err) {
    notes.push(`Selection and viewport could not be read from this page (${err instanceof Error ? err.message : String(err)}).`);
  }
  if (!facts.selection && fallbackSelection) facts.selection = fallbackSelection;
  let screenshot: string | undefined;
  if (tab.active) {
    try {
      // JPEG keeps a full-HD capture around 200–400 kB, far below the server's 5 MB.
      screenshot = await chrome.tabs.captureVisibleTab(tab.windowId, { format: 'jpeg', quality: 80 });
    } catch (err) {
      notes.push(`No screenshot: ${err instanceof Error ? err.message : String(err)}.`);
    }
  } else {
    notes.push('No screenshot: the page is not the visible tab of its window.');
  }
  return { tabId: tab.id, capturedAt: Date.now(), facts, ...(screenshot ? { screenshot } : {}), notes };
}
