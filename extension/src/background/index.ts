/**
 * The service worker: owns the session (token refresh), the recorder's offscreen document, the page context,
 * the outbox that retries uploads, and the live status of what was sent (badge and notification).
 */
import { ServerUnreachableError, VoyceApi, type Session, type SessionStore } from '../shared/api';
import { buildContext, dataUrlToBlob, describeBrowser } from '../shared/context';
import { DRAFT_KEY, type Draft, idb } from '../shared/idb';
import { createRequestRouter, type OffscreenCommand, type RecorderEvent, type RecorderState, type ServerCheck } from '../shared/messages';
import { configuredServer, submissionPageUrl } from '../shared/settings';
import { captureTab, findTargetTab, type CapturedContext } from './capture';
import { createOutbox, type OutboxItem, type RecentEntry } from './outbox';

const TERMINAL = ['completed', 'rejected', 'failed', 'cancelled'];
const DEFAULT_MAX_MS = 10 * 60_000;
const VERSION = chrome.runtime.getManifest().version;

const sessionStore: SessionStore = {
  async load() {
    const { session } = (await chrome.storage.local.get('session')) as { session?: Session };
    return session ?? null;
  },
  async save(session) {
    if (session) await chrome.storage.local.set({ session });
    else await chrome.storage.local.remove('session');
  },
};
const api = new VoyceApi(sessionStore);

// ---- recent sendings (what the popup shows) ----------------------------------------------------------------

let recentWrite: Promise<void> = Promise.resolve();
/** Serialised read-modify-write of `recent`, newest first, at most 10. */
function report(localId: string, patch: Partial<RecentEntry>): Promise<void> {
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

async function updateBadge(recent: RecentEntry[]): Promise<void> {
  const busy = recent.filter((r) => ['queued', 'sending', 'retrying', 'waiting_for_sign_in'].includes(r.state) || (r.state === 'sent' && !TERMINAL.includes(r.status ?? ''))).length;
  const { unseen } = (await chrome.storage.session.get('unseen')) as { unseen?: 'completed' | 'problem' };
  const [text, color] = busy ? [String(busy), '#2563eb'] : unseen === 'completed' ? ['✓', '#15803d'] : unseen === 'problem' ? ['!', '#b91c1c'] : ['', '#2563eb'];
  await chrome.action.setBadgeText({ text });
  await chrome.action.setBadgeBackgroundColor({ color });
}

// ---- outbox -------------------------------------------------------------------------------------------------

let wakeTimer: ReturnType<typeof setTimeout> | undefined;
const outbox = createOutbox({
  items: {
    all: () => idb.all<OutboxItem>('outbox'),
    put: async (item) => void (await idb.put('outbox', item.localId, item)),
    delete: (localId) => idb.delete('outbox', localId),
  },
  upload: (form, key) => api.upload(form, key),
  report,
  wakeAt(at) {
    clearTimeout(wakeTimer);
    wakeTimer = setTimeout(() => void outbox.flush(), Math.max(0, at - Date.now()));
    // If the worker is stopped meanwhile, the alarm starts it again (Chrome rounds up to 30 s when packed).
    void chrome.alarms.create('outbox', { when: Math.max(at, Date.now() + 1000) });
  },
  onSent: (_localId, submissionId) => void follow(submissionId),
});

// ---- live status after sending --------------------------------------------------------------------------------

const following = new Set<string>();

/** Polls a sent submission until it ends, then badges and notifies. (Service workers have no EventSource.) */
async function follow(submissionId: string): Promise<void> {
  if (following.has(submissionId)) return;
  following.add(submissionId);
  try {
    for (let delay = 1000; ; delay = Math.min(delay * 1.3, 5000)) {
      await new Promise((r) => setTimeout(r, delay));
      let sub: { status: string; title: string | null; transcription?: { text: string }; progress?: { error?: { message: string } } };
      try {
        sub = (await api.json<{ submission: typeof sub }>(`/api/submissions/${submissionId}`)).submission;
      } catch (err) {
        if (err instanceof ServerUnreachableError) continue;
        throw err;
      }
      const localId = await localIdOf(submissionId);
      const preview = sub.transcription?.text ? firstWords(sub.transcription.text, 14) : undefined;
      if (localId) await report(localId, { status: sub.status, ...(preview ? { preview } : {}), ...(sub.progress?.error ? { error: sub.progress.error.message } : {}) });
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
  chrome.notifications.create(`submission:${id}`, {
    type: 'basic',
    iconUrl: chrome.runtime.getURL('icons/icon-128.png'),
    title: done ? 'Voyce: your feedback is in' : `Voyce: feedback ${status}`,
    message: done ? (preview ? `“${preview}”` : 'Transcribed and analysed.') : (error ?? 'It could not be processed.'),
    contextMessage: title ?? 'Open it in Voyce',
    priority: 0,
  });
}

chrome.notifications.onClicked.addListener((notificationId) => {
  const id = /^submission:(.+)$/.exec(notificationId)?.[1];
  if (!id) return;
  void configuredServer().then((server) => chrome.tabs.create({ url: submissionPageUrl(server, id) }));
  chrome.notifications.clear(notificationId);
});

// ---- recorder (offscreen document) ----------------------------------------------------------------------------

async function recorderState(): Promise<RecorderState> {
  const { recorder } = (await chrome.storage.session.get('recorder')) as { recorder?: RecorderState };
  return recorder ?? { phase: 'idle' };
}
async function setRecorder(state: RecorderState): Promise<RecorderState> {
  await chrome.storage.session.set({ recorder: state });
  return state;
}

async function ensureOffscreen(): Promise<void> {
  const contexts = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] });
  if (contexts.length) return;
  await chrome.offscreen.createDocument({
    url: 'offscreen.html',
    reasons: [chrome.offscreen.Reason.USER_MEDIA],
    justification: 'Records the voice note from the microphone (a service worker cannot capture audio).',
  });
}

async function closeOffscreen(): Promise<void> {
  const contexts = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] });
  if (contexts.length) await chrome.offscreen.closeDocument();
}

async function maxAudioMs(): Promise<number> {
  try {
    return (await api.publicConfig(await configuredServer())).limits?.maxAudioMs ?? DEFAULT_MAX_MS;
  } catch {
    return DEFAULT_MAX_MS; // offline: record anyway, the outbox sends it later
  }
}

async function startRecording(): Promise<RecorderState> {
  const current = await recorderState();
  if (current.phase === 'recording' || current.phase === 'starting') return current;
  const maxMs = await maxAudioMs();
  await setRecorder({ phase: 'starting', maxMs });
  await ensureOffscreen();
  const command: OffscreenCommand = { target: 'offscreen', type: 'start', maxMs };
  await chrome.runtime.sendMessage(command);
  return recorderState();
}

async function stopRecording(): Promise<RecorderState> {
  const current = await recorderState();
  if (current.phase !== 'recording' && current.phase !== 'starting') return current;
  const command: OffscreenCommand = { target: 'offscreen', type: 'stop' };
  await chrome.runtime.sendMessage(command).catch(() => undefined);
  return recorderState();
}

chrome.runtime.onMessage.addListener((message: RecorderEvent, sender) => {
  if (sender.id !== chrome.runtime.id || !message || typeof message !== 'object') return false;
  if (message.type === 'recorder/started') void recorderState().then((s) => setRecorder({ ...s, phase: 'recording', startedAt: message.startedAt }));
  if (message.type === 'recorder/stopped') {
    void setRecorder({ phase: 'recorded', durationMs: message.durationMs }).then(closeOffscreen);
  }
  if (message.type === 'recorder/failed') {
    void setRecorder({ phase: 'error', error: { name: message.name, message: message.message } }).then(closeOffscreen);
  }
  return false;
});

// ---- page context ----------------------------------------------------------------------------------------------

async function captureContext(fallbackSelection?: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const tab = await findTargetTab();
  if (!tab) return { ok: false, reason: 'No web page is open to describe.' };
  const captured = await captureTab(tab, fallbackSelection);
  await chrome.storage.session.set({ captured });
  return { ok: true };
}

function browserDescription(): string {
  const hints = (navigator as Navigator & { userAgentData?: { brands?: { brand: string; version: string }[]; platform?: string } }).userAgentData;
  return describeBrowser(navigator.userAgent, hints);
}

// ---- requests from the popup and the options page ------------------------------------------------------------

chrome.runtime.onMessage.addListener(
  createRequestRouter(
    {
      'recorder/start': async () => {
        await captureContext().catch(() => undefined); // the context as it is when recording starts
        return startRecording();
      },
      'recorder/stop': () => stopRecording(),
      'recorder/discard': async () => {
        await stopRecording();
        await idb.delete('drafts', DRAFT_KEY);
        return setRecorder({ phase: 'idle' });
      },
      'draft/fromFile': async ({ durationMs }) => setRecorder({ phase: 'recorded', ...(durationMs !== null ? { durationMs } : {}) }),
      'context/capture': () => captureContext(),
      submit: async ({ title, category, include }) => {
        const draft = await idb.get<Draft>('drafts', DRAFT_KEY);
        if (!draft) throw new Error('There is no recording to send.');
        const { captured } = (await chrome.storage.session.get('captured')) as { captured?: CapturedContext };
        const context = buildContext(captured?.facts ?? {}, browserDescription(), `extension ${VERSION}`, include);
        const localId = crypto.randomUUID();
        const item: OutboxItem = {
          localId,
          idempotencyKey: `voyce-ext-${localId}`,
          createdAt: Date.now(),
          attempts: 0,
          nextAttemptAt: Date.now(),
          fields: { ...(title ? { title } : {}), ...(category ? { category } : {}), context: JSON.stringify(context) },
          audio: draft.audio,
          filename: draft.filename,
          ...(include.screenshot && captured?.screenshot ? { screenshot: dataUrlToBlob(captured.screenshot) } : {}),
        };
        await report(localId, { state: 'queued', attempts: 0, ...(title ? { title } : {}), createdAt: item.createdAt });
        await idb.put('outbox', localId, item);
        await idb.delete('drafts', DRAFT_KEY);
        await setRecorder({ phase: 'idle' });
        await chrome.storage.session.remove(['captured', 'unseen']);
        void outbox.flush(); // the popup follows progress through `recent`; it may close meanwhile
        return { localId };
      },
      'auth/login': async ({ login, password }) => {
        try {
          const session = await api.login(await configuredServer(), login, password);
          void outbox.flush(true); // anything waiting for a sign-in goes now
          return { ok: true as const, username: session.user.username };
        } catch (err) {
          return { ok: false as const, message: err instanceof Error ? err.message : String(err) };
        }
      },
      'auth/oauthCode': async ({ code, codeVerifier }) => {
        try {
          const session = await api.exchangeOauthCode(await configuredServer(), code, codeVerifier);
          void outbox.flush(true);
          return { ok: true as const, username: session.user.username };
        } catch (err) {
          return { ok: false as const, message: err instanceof Error ? err.message : String(err) };
        }
      },
      'auth/logout': async () => {
        await api.logout();
        return { ok: true as const };
      },
      'server/check': async (): Promise<ServerCheck> => {
        const server = await configuredServer();
        try {
          const config = await api.publicConfig(server);
          const session = await api.session();
          let signedIn = false;
          let username: string | undefined;
          if (session && session.server === server) {
            const me = await api.json<{ user: { username: string } }>('/api/auth/me').catch((err: unknown) => {
              if (err instanceof ServerUnreachableError) throw err;
              return null; // signed out, or the session was refused
            });
            signedIn = !!me;
            username = me?.user.username;
          }
          return { reachable: true, signedIn, ...(username ? { username } : {}), maxAudioMs: config.limits?.maxAudioMs ?? DEFAULT_MAX_MS, maxUploadBytes: config.limits?.maxUploadBytes ?? 25 * 1024 * 1024, oauthProviders: config.oauthProviders ?? [] };
        } catch (err) {
          return { reachable: false, message: err instanceof Error ? err.message : String(err) };
        }
      },
      'outbox/retryNow': async () => {
        await outbox.flush(true);
        return { ok: true as const };
      },
    },
    (sender) => sender.id === chrome.runtime.id && !sender.tab?.url?.startsWith('http'),
  ),
);

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
