/**
 * The service worker: owns the session (token refresh), the recorder's offscreen document, the page context,
 * the outbox that retries uploads, and the live status of what was sent (badge and notification). This file
 * wires the parts together; each request of the popup and the options page has its handler in handlers/.
 */
import { follow, listenToNotificationClicks } from './follow';
import { requestListener } from './handlers';
import { outbox } from './outboxService';
import { captureContext } from './pageContext';
import type { RecentEntry } from './outbox';
import { TERMINAL } from './recent';
import { listenToRecorderEvents, recorderState, startRecording, stopRecording } from './recorder';

listenToNotificationClicks();
listenToRecorderEvents();
chrome.runtime.onMessage.addListener(requestListener);

// ---- entry points: shortcut, context menu, alarms, start-up ----------------------------------------------------

chrome.commands.onCommand.addListener((command) => {
  if (command !== 'toggle-recording') return;
  void recorderState().then(async (s) => {
    if (s.phase === 'recording' || s.phase === 'starting') return stopRecording();
    await captureContext().catch(() => undefined);
    return startRecording();
  });
});

chrome.runtime.onInstalled.addListener(() => {
  chrome.contextMenus.create({ id: 'voyce-selection', title: 'Send voice feedback about this selection', contexts: ['selection'] }, () => void chrome.runtime.lastError);
});

chrome.contextMenus.onClicked.addListener((info) => {
  if (info.menuItemId !== 'voyce-selection') return;
  void (async () => {
    await captureContext(info.selectionText).catch(() => undefined);
    try {
      await chrome.action.openPopup();
    } catch {
      // Older Chrome: the context is kept; the next click on the toolbar button shows it.
      await chrome.action.setBadgeText({ text: 'REC' });
    }
  })();
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === 'outbox') void outbox.flush();
});

async function resume(): Promise<void> {
  await outbox.flush();
  const { recent = [] } = (await chrome.storage.local.get('recent')) as { recent?: RecentEntry[] };
  for (const r of recent) if (r.submissionId && r.state === 'sent' && !TERMINAL.includes(r.status ?? '')) void follow(r.submissionId);
}
chrome.runtime.onStartup.addListener(() => void resume());
self.addEventListener('online', () => void outbox.flush(true));
void resume();
