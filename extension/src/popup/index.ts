/** The popup: record (or pick a file), review what page context goes with it, send, and watch it being processed. */
import type { CapturedContext } from '../background/capture';
import type { RecentEntry } from '../background/outbox';
import { type ContextChoices, describeBrowser, normaliseSelection, sendableUrl } from '../shared/context';
import { DRAFT_KEY, type Draft, idb } from '../shared/idb';
import { ask, type RecorderEvent, type RecorderState, type ServerCheck } from '../shared/messages';
import { configuredServer, submissionPageUrl } from '../shared/settings';
import { describeLanguage, mountLanguagePicker } from './languagePicker';
import { createOrgPicker, selectView } from './orgPicker';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const fmt = (ms: number) => `${Math.floor(ms / 60000)}:${String(Math.floor((ms % 60000) / 1000)).padStart(2, '0')}`;

let server = '';
let check: ServerCheck | null = null;
let recorder: RecorderState = { phase: 'idle' };
let captured: CapturedContext | undefined;
let hasDraft = false;
let tick: ReturnType<typeof setInterval> | undefined;
const pickedLanguage = mountLanguagePicker($<HTMLSelectElement>('language'));
const orgPicker = createOrgPicker(selectView($<HTMLSelectElement>('org'), $('orgField'), $('orgNote')), () => ask('orgs/list', {}), chrome.storage.local);
const choices: ContextChoices = { url: true, title: true, selection: true, viewport: true, device: true, screenshot: true };

const STATUS_TEXT: Record<string, string> = {
  queued: 'Queued', sending: 'Sending…', retrying: 'Server unreachable — will retry', waiting_for_sign_in: 'Waiting for you to sign in', failed: 'Not accepted',
  pending: 'Received', validating: 'Checking audio', stored: 'Stored', transcribing: 'Transcribing', analyzing: 'Analysing', completed: 'Completed', rejected: 'Rejected', cancelled: 'Cancelled',
};

async function refreshServer(): Promise<void> {
  server = await configuredServer();
  check = await ask('server/check', {});
  renderServerProblem();
  $('signedOut').hidden = !check.reachable || check.signedIn;
  $('who').textContent = check.reachable ? (check.signedIn ? `${check.username ?? ''} · ${new URL(server).host}` : new URL(server).host) : `offline · ${new URL(server).host}`;
  renderRecorder();
}

async function renderMicHelp(): Promise<void> {
  let state: PermissionState | 'unknown' = 'unknown';
  try {
    state = (await navigator.permissions.query({ name: 'microphone' as PermissionName })).state;
  } catch {
    /* not queryable: find out on Record */
  }
  const refused = recorder.phase === 'error' && recorder.error?.name === 'NotAllowedError';
  const help = $('micHelp');
  help.hidden = !(refused || state === 'denied' || (state === 'prompt' && recorder.phase === 'idle' && !hasDraft));
  $('micText').textContent =
    refused || state === 'denied'
      ? 'Voyce cannot use the microphone: it was refused. Allow it for Voyce, then press Record again.'
      : 'Voyce records your voice only while you press Record. The first time, Chrome asks whether Voyce may use the microphone.';
  $('micFix').textContent = refused || state === 'denied' ? 'Fix microphone access…' : 'Allow the microphone…';
}

/** The words heard while recording: settled plain, the tail greyed; or why live is not there (it records anyway). */
function renderLive(event: Extract<RecorderEvent, { type: 'recorder/live' }>): void {
  const box = $('live');
  box.hidden = false;
  $('liveSettled').textContent = event.phase === 'unavailable' ? `Live transcript unavailable (${event.reason ?? 'no connection'}); the recording is kept and sent as usual.` : event.settled;
  $('liveTail').textContent = event.phase === 'connecting' && !event.settled ? 'Connecting the live transcript…' : event.phase === 'unavailable' ? '' : event.tail;
}

function renderRecorder(): void {
  if (recorder.phase === 'idle') $('live').hidden = true;
  const recording = recorder.phase === 'recording' || recorder.phase === 'starting';
  const button = $<HTMLButtonElement>('record');
  button.textContent = recording ? '■ Stop' : '● Record';
  button.disabled = false;
  const maxMs = recorder.maxMs ?? (check?.reachable ? check.maxAudioMs : 600_000);
  clearInterval(tick);
  const showTime = () => {
    const elapsed = recorder.phase === 'recording' && recorder.startedAt ? Date.now() - recorder.startedAt : (recorder.durationMs ?? 0);
    $('timer').textContent = `${fmt(elapsed)} / ${fmt(maxMs)}`;
  };
  showTime();
  if (recording) tick = setInterval(showTime, 250);
  else ($('level').style.width = '0');
  const note = $('recorderNote');
  if (recorder.phase === 'error') {
    note.className = 'note error';
    note.textContent = recorder.error?.name === 'NotAllowedError' ? 'The microphone was refused.' : recorder.error?.name === 'NotFoundError' ? 'No microphone was found.' : `Recording failed: ${recorder.error?.message ?? ''}`;
  }
  $('review').hidden = !hasDraft || recording;
  $<HTMLButtonElement>('send').disabled = !hasDraft || recording;
  void renderMicHelp();
}

async function loadDraft(): Promise<void> {
  const draft = await idb.get<Draft>('drafts', DRAFT_KEY);
  hasDraft = !!draft;
  const audio = $<HTMLAudioElement>('playback');
  if (audio.src) URL.revokeObjectURL(audio.src);
  if (draft) {
    audio.src = URL.createObjectURL(draft.audio);
    $('draftInfo').textContent = `${draft.durationMs !== null ? fmt(draft.durationMs) : ''} · ${Math.ceil(draft.audio.size / 1024)} kB`;
  } else audio.removeAttribute('src');
  renderRecorder();
}

function renderContext(): void {
  const list = $('context');
  list.replaceChildren();
  const facts = captured?.facts ?? {};
  const device = describeBrowser(navigator.userAgent, (navigator as Navigator & { userAgentData?: { brands?: { brand: string; version: string }[]; platform?: string } }).userAgentData);
  const rows: [keyof ContextChoices, string, string | HTMLElement | undefined][] = [
    ['url', 'Page', sendableUrl(facts.url)],
    ['title', 'Title', facts.title?.trim() || undefined],
    ['selection', 'Selection', normaliseSelection(facts.selection)],
    ['viewport', 'Viewport', facts.viewport ? `${facts.viewport.width} × ${facts.viewport.height}` : undefined],
    ['device', 'Browser', device],
    ['screenshot', 'Screenshot', captured?.screenshot ? Object.assign(document.createElement('img'), { src: captured.screenshot, alt: 'screenshot of the page' }) : undefined],
  ];
  for (const [key, label, value] of rows) {
    if (value === undefined) continue;
    const li = document.createElement('li');
    const box = Object.assign(document.createElement('input'), { type: 'checkbox', checked: choices[key], id: `include-${key}`, title: `Send the ${label.toLowerCase()}` });
    box.addEventListener('change', () => (choices[key] = box.checked));
    const k = Object.assign(document.createElement('label'), { className: 'k', htmlFor: box.id, textContent: label });
    const v = document.createElement('span');
    v.className = typeof value === 'string' ? 'v' : 'v image';
    if (typeof value === 'string') v.textContent = value;
    else v.append(value);
    li.append(box, k, v);
    list.append(li);
  }
  if (!list.children.length) list.append(Object.assign(document.createElement('li'), { textContent: 'No page context.' }));
  $('contextNotes').textContent = (captured?.notes ?? []).join(' ');
}

let lastRecent: RecentEntry[] = [];

/** The server is down if it did not answer our check, or if the outbox could not reach it since. */
function renderServerProblem(): void {
  const retrying = lastRecent.find((r) => r.state === 'retrying');
  const down = (check && !check.reachable) || !!retrying;
  const problem = $('serverProblem');
  problem.hidden = !down;
  if (down) problem.textContent = `Cannot reach ${server || 'the Voyce server'}. Your recordings are kept and sent when it is back.`;
}

let lastServerCheck = 0;
/** Re-renders every second while something waits for a retry (the countdown), and re-checks the server then. */
setInterval(() => {
  if (!lastRecent.some((r) => r.state === 'retrying')) return;
  renderRecent(lastRecent);
  if (Date.now() - lastServerCheck > 5000) {
    lastServerCheck = Date.now();
    void refreshServer();
  }
}, 1000);

function renderRecent(recent: RecentEntry[]): void {
  lastRecent = recent;
  renderServerProblem();
  $('recentSection').hidden = recent.length === 0;
  const list = $('recent');
  list.replaceChildren();
  for (const r of recent.slice(0, 4)) {
    const li = document.createElement('li');
    li.dataset.localId = r.localId;
    if (r.submissionId) li.dataset.submissionId = r.submissionId;
    const state = r.state === 'sent' ? (r.status ?? 'pending') : r.state;
    li.dataset.status = state;
    const head = document.createElement('div');
    const status = Object.assign(document.createElement('span'), { className: `status ${state === 'completed' ? 'ok' : ['failed', 'rejected'].includes(state) ? 'error' : state === 'retrying' ? 'warn' : ''}`, textContent: STATUS_TEXT[state] ?? state });
    head.append(status, ` · ${r.title ?? new Date(r.createdAt).toLocaleTimeString()}`);
    if (r.state === 'retrying' && r.nextAttemptAt) head.append(` · attempt ${r.attempts}, next in ${Math.max(0, Math.round((r.nextAttemptAt - Date.now()) / 1000))} s`);
    li.append(head);
    if (r.language) head.append(` · ${describeLanguage(r.language)}`);
    if (r.preview) li.append(Object.assign(document.createElement('div'), { className: 'note', textContent: `“${r.preview}”`, dir: 'auto', ...(r.language ? { lang: r.language } : {}) }));
    if (r.error && r.state !== 'sent') li.append(Object.assign(document.createElement('div'), { className: 'note error', textContent: r.error }));
    if (r.submissionId) {
      const link = Object.assign(document.createElement('a'), { href: submissionPageUrl(server, r.submissionId), target: '_blank', textContent: 'Open in Voyce', className: 'open' });
      li.append(link);
    }
    list.append(li);
  }
  $('retryNow').hidden = !recent.some((r) => r.state === 'retrying' || r.state === 'waiting_for_sign_in');
}

async function loadCaptured(): Promise<void> {
  ({ captured } = (await chrome.storage.session.get('captured')) as { captured?: CapturedContext });
  renderContext();
}

// ---- wiring -----------------------------------------------------------------------------------------------

$('openOptions').addEventListener('click', () => void chrome.runtime.openOptionsPage());
$('signIn').addEventListener('click', () => void chrome.runtime.openOptionsPage());
$('micFix').addEventListener('click', () => void chrome.tabs.create({ url: chrome.runtime.getURL('permission.html') }));
$('refreshContext').addEventListener('click', () => void ask('context/capture', {}).then(loadCaptured));
$('retryNow').addEventListener('click', () => void ask('outbox/retryNow', {}));
$<HTMLSelectElement>('org').addEventListener('change', (e) => void orgPicker.choose((e.target as HTMLSelectElement).value));
$('record').addEventListener('click', async () => {
  $<HTMLButtonElement>('record').disabled = true;
  const recording = recorder.phase === 'recording' || recorder.phase === 'starting';
  recorder = await ask(recording ? 'recorder/stop' : 'recorder/start', {});
  if (!recording) await loadCaptured();
  renderRecorder();
});
$('rerecord').addEventListener('click', async () => {
  recorder = await ask('recorder/discard', {});
  await loadDraft();
  recorder = await ask('recorder/start', {});
  renderRecorder();
});
$<HTMLInputElement>('file').addEventListener('change', async (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (!file) return;
  const limit = check?.reachable ? check.maxUploadBytes : 25 * 1024 * 1024;
  if (file.size > limit) {
    $('recorderNote').textContent = `That file is larger than the server's limit of ${Math.round(limit / 1048576)} MB.`;
    return;
  }
  const durationMs = await new Promise<number | null>((resolve) => {
    const probe = Object.assign(new Audio(), { preload: 'metadata', src: URL.createObjectURL(file) });
    probe.onloadedmetadata = () => resolve(Number.isFinite(probe.duration) ? Math.round(probe.duration * 1000) : null);
    probe.onerror = () => resolve(null);
  });
  await idb.put('drafts', DRAFT_KEY, { audio: file, filename: file.name, durationMs, createdAt: Date.now() } satisfies Draft);
  recorder = await ask('draft/fromFile', { durationMs });
  await loadDraft();
});
$('send').addEventListener('click', async () => {
  $<HTMLButtonElement>('send').disabled = true;
  try {
    const title = $<HTMLInputElement>('title').value.trim();
    const category = $<HTMLSelectElement>('category').value;
    await ask('submit', { ...(title ? { title } : {}), ...(category ? { category } : {}), ...(pickedLanguage() ? { language: pickedLanguage() } : {}), ...(orgPicker.current() ? { orgId: orgPicker.current() } : {}), include: { ...choices } });
    $<HTMLInputElement>('title').value = '';
    $('sendNote').textContent = 'Sending — follow it below.';
    await loadDraft();
    // Ready for the next one: the page as it is now.
    await ask('context/capture', {}).catch(() => undefined);
    await loadCaptured();
  } catch (err) {
    $('sendNote').textContent = (err as Error).message;
    $('sendNote').className = 'note error';
    $<HTMLButtonElement>('send').disabled = false;
  }
});

chrome.runtime.onMessage.addListener((message: RecorderEvent) => {
  if (message?.type === 'recorder/level') $('level').style.width = `${Math.round(message.level * 100)}%`;
  if (message?.type === 'recorder/live') renderLive(message);
  return false;
});
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'session' && changes.recorder) {
    recorder = (changes.recorder.newValue as RecorderState | undefined) ?? { phase: 'idle' };
    if (recorder.phase === 'recorded' || recorder.phase === 'idle') void loadDraft();
    else renderRecorder();
  }
  if (area === 'session' && changes.captured) void loadCaptured();
  if (area === 'local' && changes.recent) renderRecent((changes.recent.newValue as RecentEntry[] | undefined) ?? []);
  if (area === 'local' && (changes.session || changes.server)) void refreshServer().then(() => orgPicker.refresh());
});

async function init(): Promise<void> {
  recorder = ((await chrome.storage.session.get('recorder')) as { recorder?: RecorderState }).recorder ?? { phase: 'idle' };
  await chrome.storage.session.remove('unseen'); // the person has looked: the ✓ badge has done its job
  const { recent = [] } = (await chrome.storage.local.get('recent')) as { recent?: RecentEntry[] };
  renderRecent(recent);
  await Promise.all([loadDraft(), refreshServer().then(() => orgPicker.refresh())]);
  if (recorder.phase !== 'recording') await ask('context/capture', {}).catch(() => undefined);
  await loadCaptured();
  document.body.dataset.ready = 'true';
}
void init();
