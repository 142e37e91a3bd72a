import type { OffscreenCommand, RecorderEvent, RecorderState } from '../shared/messages';
import { configuredServer } from '../shared/settings';
import { rememberedOrg } from '../shared/orgChoice';
import { api } from './session';

export const DEFAULT_MAX_MS = 10 * 60_000;

// ---- the recorder in its offscreen document (a service worker cannot capture audio) ----

export async function recorderState(): Promise<RecorderState> {
  const { recorder } = (await chrome.storage.session.get('recorder')) as { recorder?: RecorderState };
  return recorder ?? { phase: 'idle' };
}
export async function setRecorder(state: RecorderState): Promise<RecorderState> {
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

export async function maxAudioMs(): Promise<number> {
  try {
    return (await api.publicConfig(await configuredServer())).limits?.maxAudioMs ?? DEFAULT_MAX_MS;
  } catch {
    return DEFAULT_MAX_MS; // offline: record anyway, the outbox sends it later
  }
}

/** The signed-in user's remembered organisation, for the live `start` message. */
async function liveOrg(): Promise<{ orgId?: string }> {
  const session = await api.session();
  const org = session ? await rememberedOrg(chrome.storage.local, session.user.id) : null;
  return org ? { orgId: org.id } : {};
}

export async function startRecording(): Promise<RecorderState> {
  const current = await recorderState();
  if (current.phase === 'recording' || current.phase === 'starting') return current;
  const maxMs = await maxAudioMs();
  await setRecorder({ phase: 'starting', maxMs });
  await ensureOffscreen();
  // Live words while recording need the network and a session; without them it records as before.
  const access = navigator.onLine ? await api.liveAccess().catch(() => null) : null;
  const live = access ? { ...access, ...(await liveOrg()) } : null;
  const command: OffscreenCommand = { target: 'offscreen', type: 'start', maxMs, live };
  await chrome.runtime.sendMessage(command);
  return recorderState();
}

export async function stopRecording(): Promise<RecorderState> {
  const current = await recorderState();
  if (current.phase !== 'recording' && current.phase !== 'starting') return current;
  const command: OffscreenCommand = { target: 'offscreen', type: 'stop' };
  await chrome.runtime.sendMessage(command).catch(() => undefined);
  return recorderState();
}

/** The offscreen recorder's events move the recorder state on. */
export function listenToRecorderEvents(): void {
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
}
