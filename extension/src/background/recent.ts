import type { RecentEntry } from './outbox';

/** Submissions that have ended (no more badge for them while they run). */
export const TERMINAL = ['completed', 'rejected', 'failed', 'cancelled'];

// ---- recent sendings (what the popup shows) and the toolbar badge ----

let recentWrite: Promise<void> = Promise.resolve();
/** Serialised read-modify-write of `recent`, newest first, at most 10. */
export function report(localId: string, patch: Partial<RecentEntry>): Promise<void> {
  recentWrite = recentWrite.then(async () => {
    const { recent = [] } = (await chrome.storage.local.get('recent')) as { recent?: RecentEntry[] };
    const at = recent.findIndex((r) => r.localId === localId);
    const entry = { ...(at >= 0 ? recent[at] : { localId, createdAt: Date.now(), state: 'queued', attempts: 0 }), ...patch } as RecentEntry;
    const next = at >= 0 ? recent.map((r, i) => (i === at ? entry : r)) : [entry, ...recent];
    await chrome.storage.local.set({ recent: next.slice(0, 10) });
    await updateBadge(next);
  });
  return recentWrite;
}

export async function updateBadge(recent: RecentEntry[]): Promise<void> {
  const busy = recent.filter((r) => ['queued', 'sending', 'retrying', 'waiting_for_sign_in'].includes(r.state) || (r.state === 'sent' && !TERMINAL.includes(r.status ?? ''))).length;
  const { unseen } = (await chrome.storage.session.get('unseen')) as { unseen?: 'completed' | 'problem' };
  const [text, color] = busy ? [String(busy), '#2563eb'] : unseen === 'completed' ? ['✓', '#15803d'] : unseen === 'problem' ? ['!', '#b91c1c'] : ['', '#2563eb'];
  await chrome.action.setBadgeText({ text });
  await chrome.action.setBadgeBackgroundColor({ color });
}
