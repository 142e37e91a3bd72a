import { ServerUnreachableError } from '../shared/api';
import { configuredServer, submissionPageUrl } from '../shared/settings';
import type { RecentEntry } from './outbox';
import { report, TERMINAL, updateBadge } from './recent';
import { api } from './session';

// ---- live status after sending: badge and notification ----

const following = new Set<string>();

/** Polls a sent submission until it ends, then badges and notifies. (Service workers have no EventSource.) */
export async function follow(submissionId: string): Promise<void> {
  if (following.has(submissionId)) return;
  following.add(submissionId);
  try {
    for (let delay = 1000; ; delay = Math.min(delay * 1.3, 5000)) {
      await new Promise((r) => setTimeout(r, delay));
      let sub: { status: string; title: string | null; transcription?: { text: string; language?: string }; progress?: { error?: { message: string } } };
      try {
        sub = (await api.json<{ submission: typeof sub }>(`/api/submissions/${submissionId}`)).submission;
      } catch (err) {
        if (err instanceof ServerUnreachableError) continue;
        throw err;
      }
      const localId = await localIdOf(submissionId);
      const preview = sub.transcription?.text ? firstWords(sub.transcription.text, 14) : undefined;
      if (localId) await report(localId, { status: sub.status, ...(preview ? { preview } : {}), ...(sub.transcription?.language ? { language: sub.transcription.language } : {}), ...(sub.progress?.error ? { error: sub.progress.error.message } : {}) });
      if (TERMINAL.includes(sub.status)) {
        await announce(submissionId, sub.status, sub.title, preview, sub.progress?.error?.message);
        return;
      }
    }
  } finally {
    following.delete(submissionId);
  }
}

async function localIdOf(submissionId: string): Promise<string | undefined> {
  const { recent = [] } = (await chrome.storage.local.get('recent')) as { recent?: RecentEntry[] };
  return recent.find((r) => r.submissionId === submissionId)?.localId;
}

export const firstWords = (text: string, n: number) => {
  const words = text.trim().split(/\s+/);
  return words.length <= n ? words.join(' ') : `${words.slice(0, n).join(' ')}…`;
};

async function announce(id: string, status: string, title: string | null, preview: string | undefined, error: string | undefined): Promise<void> {
  await chrome.storage.session.set({ unseen: status === 'completed' ? 'completed' : 'problem' });
  const { recent = [] } = (await chrome.storage.local.get('recent')) as { recent?: RecentEntry[] };
  await updateBadge(recent);
  const done = status === 'completed';
  void chrome.notifications.create(`submission:${id}`, {
    type: 'basic',
    iconUrl: chrome.runtime.getURL('icons/icon-128.png'),
    title: done ? 'Voyce: your feedback is in' : `Voyce: feedback ${status}`,
    message: done ? (preview ? `“${preview}”` : 'Transcribed and analysed.') : (error ?? 'It could not be processed.'),
    contextMessage: title ?? 'Open it in Voyce',
    priority: 0,
  });
}

/** A click on a notification opens that submission in Voyce. */
export function listenToNotificationClicks(): void {
  chrome.notifications.onClicked.addListener((notificationId) => {
    const id = /^submission:(.+)$/.exec(notificationId)?.[1];
    if (!id) return;
    void configuredServer().then((server) => chrome.tabs.create({ url: submissionPageUrl(server, id) }));
    void chrome.notifications.clear(notificationId);
  });
}
