jest.setTimeout(300_000);

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { startApi } from '../../scripts/stack/apps';
import { REPO_ROOT } from '../../scripts/stack/paths';
import { findFreePort } from '../../scripts/stack/ports';
import type { ManagedProcess } from '../../scripts/stack/process';
import { ApiClient } from '../../test/support/apiClient';
import { startWorker } from '../../test/support/services';
import { speak, writeTemp } from '../../test/support/speech';
import { waitFor } from '../../test/support/waitFor';

/**
 * The Chrome extension against the real stack in Debian's Chromium (new headless mode): sign in on the options
 * page, record through the fake microphone on a known page with selected text, send, watch it complete, and
 * read back through the API the spoken words, the page context and the screenshot; then the same with the
 * server down while sending: the outbox retries and the submission arrives exactly once.
 */
const SHOTS = path.join(REPO_ROOT, 'extension', 'e2e', 'screenshots');
const SPOKEN = 'The search page is very slow today, and the menu does nothing when I click it.';
const SELECTION = 'Pay now and get free delivery';
const PAGE_TITLE = 'Acme Shop: checkout';

let port: number;
let api: ManagedProcess | null = null;
let worker: ManagedProcess;
let pageServer: Server;
let pageUrl: string;
let context: BrowserContext;
let sw: Worker;
let extId: string;
let user: { username: string };
const client = () => new ApiClient(`http://127.0.0.1:${port}`);
let c: ApiClient;
const logDir = mkdtempSync(path.join(os.tmpdir(), 'voyce-ext-e2e-'));

const startTheApi = async () => {
  api = await startApi(port, { env: { ...process.env, LOG_LEVEL: 'warn' }, logDir, quiet: true });
};

beforeAll(async () => {
  port = await findFreePort();
  const extDir = path.join(logDir, 'extension');
  // The build under test, made for this server (see build.mjs for what --e2e adds and why).
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'extension', 'build.mjs'), '--server', `http://127.0.0.1:${port}`, '--out', extDir, '--no-zip', '--e2e'], { stdio: 'pipe' });

  pageServer = createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html><head><title>${PAGE_TITLE}</title></head><body style="font:20px sans-serif;background:#fffbe6">
      <h1>Checkout</h1><p>Your basket: 2 items, 49.90 €</p><p id="offer">${SELECTION}</p><button>Pay</button></body></html>`);
  });
  await new Promise<void>((r) => pageServer.listen(0, '127.0.0.1', r));
  pageUrl = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}/checkout?step=2`;

  let wav: string;
  [, worker, wav] = await Promise.all([startTheApi(), startWorker(), Promise.resolve(writeTemp('ext-speech.wav', speak(SPOKEN, 'wav', { speed: 140 })))]);
  c = client();
  user = await c.registerFresh();

  context = await chromium.launchPersistentContext(path.join(logDir, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      `--disable-extensions-except=${extDir}`,
      `--load-extension=${extDir}`,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-audio-capture=${wav}`,
    ],
  });
  sw = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  extId = new URL(sw.url()).host;
}, 240_000);

afterAll(async () => {
  await context?.close();
  await api?.stop();
  await worker?.stop();
  await new Promise((r) => pageServer?.close(r));
  rmSync(logDir, { recursive: true, force: true });
});

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

async function openTarget(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(pageUrl);
  // Strings, not functions: the root project type-checks without the DOM library.
  await page.evaluate(`(() => {
    const range = document.createRange();
    range.selectNodeContents(document.getElementById('offer'));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
  })()`);
  return page;
}

async function openPopup(): Promise<Page> {
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 380, height: 720 });
  await popup.goto(`chrome-extension://${extId}/popup.html`);
  await popup.waitForSelector('body[data-ready="true"]');
  return popup;
}

/** Records `ms` of the fake microphone with the target page in front, as a person would from the toolbar. */
async function record(popup: Page, target: Page, ms: number, liveWord?: RegExp) {
  await target.bringToFront();
  await popup.click('#record');
  await popup.locator('#record', { hasText: 'Stop' }).waitFor(); // recording: the offscreen document has the microphone
  const started = Date.now();
  if (liveWord) {
    // The popup shows the words while recording (over /api/live), before Stop.
    await popup.locator('#live', { hasText: liveWord }).waitFor({ timeout: 60_000 });
    console.log(`extension: live words before stop "${await popup.locator('#live').textContent()}"`);
  }
  await popup.waitForTimeout(Math.max(0, ms - (Date.now() - started)));
  await popup.click('#record');
  await popup.waitForSelector('#review:not([hidden])');
}

const newestEntry = (popup: Page) => popup.locator('#recent li').first();

it('signs in, records feedback about a page, sends it and sees it completed with transcript, context and screenshot', async () => {
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extId}/options.html`);
  await options.waitForSelector('body[data-ready="true"]');
  expect(await options.inputValue('#server')).toBe(`http://127.0.0.1:${port}`);
  await options.fill('#login', user.username);
  await options.fill('#password', 'correct horse battery staple');
  await options.click('#signInButton');
  await options.waitForSelector('#signedInBox:not([hidden])');
  expect(await options.textContent('#signedInAs')).toContain(user.username);
  await shot(options, 'options.png');

  const target = await openTarget();
  const popup = await openPopup();
  await record(popup, target, 5000, /search|slow|menu|click/i);
  // The preview shows what goes with it; every part has its checkbox.
  const contextText = await popup.textContent('#context');
  expect(contextText).toContain(SELECTION);
  expect(contextText).toContain(PAGE_TITLE);
  expect(await popup.locator('#context img').count()).toBe(1);
  await popup.fill('#title', 'Pay button broken');
  await popup.selectOption('#category', 'bug');
  await shot(popup, 'popup-review.png');

  const started = Date.now();
  await popup.click('#send');
  await waitFor('the popup to show the submission completed', async () => (await newestEntry(popup).getAttribute('data-status')) === 'completed', 180_000, 250);
  console.log(`extension: send → completed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await popup.waitForSelector('#recent li .note');
  await shot(popup, 'popup-completed.png');
  const id = (await newestEntry(popup).getAttribute('data-submission-id')) ?? '';
  expect(await newestEntry(popup).locator('a.open').getAttribute('href')).toBe(`http://127.0.0.1:${port}/submissions/${id}`);
  expect(await sw.evaluate('chrome.action.getBadgeText({})')).toBe('✓');
  expect(Object.keys((await sw.evaluate('chrome.notifications.getAll()')) as object)).toContain(`submission:${id}`);

  const sub = (await c.json('GET', `/api/submissions/${id}`)).body.submission;
  expect(sub.status).toBe('completed');
  expect(sub.title).toBe('Pay button broken');
  expect(sub.category).toBe('bug');
  const words = (sub.transcription.text as string).toLowerCase();
  // Speech synthesis → fake microphone → Opus → Whisper tiny.en loses a word now and then; most must be there.
  const heard = ['search', 'slow', 'menu', 'nothing', 'click'].filter((w) => words.includes(w));
  console.log(`extension: transcript "${sub.transcription.text}"`);
  expect(heard.length).toBeGreaterThanOrEqual(4);
  expect(sub.context).toMatchObject({ client: 'extension', pageUrl, pageTitle: PAGE_TITLE, selection: SELECTION, viewport: { width: expect.any(Number), height: expect.any(Number) } });
  expect(sub.context.device).toMatch(/on Linux/);
  expect(sub.screenshot?.contentType).toBe('image/jpeg');
  const redirect = await fetch(`http://127.0.0.1:${port}/api/submissions/${id}/screenshot`, { headers: { authorization: `Bearer ${c.token}` }, redirect: 'manual' });
  expect(redirect.status).toBe(302);
  const image = Buffer.from(await (await fetch(redirect.headers.get('location') ?? '')).arrayBuffer());
  expect(image.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(true);
  expect(image.length).toBeGreaterThan(2000);
  await Promise.all([popup.close(), target.close(), options.close()]);
});

it('keeps a recording sent while the server is down and delivers it exactly once when it is back', async () => {
  const target = await openTarget();
  const popup = await openPopup();
  await record(popup, target, 3000);
  await popup.fill('#title', 'Sent while offline');

  await api?.stop();
  api = null;
  await popup.click('#send');
  await waitFor('the outbox to schedule a retry', async () => (await newestEntry(popup).getAttribute('data-status')) === 'retrying', 30_000, 100);
  await popup.waitForSelector('#serverProblem:not([hidden])'); // "Cannot reach …; recordings are kept"
  expect(await popup.isHidden('#signedOut')).toBe(true); // down is not signed out
  await shot(popup, 'popup-offline.png');

  await startTheApi();
  await waitFor('the retried submission to complete', async () => (await newestEntry(popup).getAttribute('data-status')) === 'completed', 180_000, 250);
  const list = (await c.json('GET', '/api/submissions?limit=100')).body.items as { title: string }[];
  expect(list.filter((s) => s.title === 'Sent while offline')).toHaveLength(1);
  expect(list).toHaveLength(2);
});

it('uploads into the organisation picked in the popup, remembers it, and falls back when it is gone', async () => {
  const { org } = (await c.json('POST', '/api/orgs', { name: 'Acme Support' })).body as { org: { id: string } };
  const personal = ((await c.json('GET', '/api/orgs')).body.items as { org: { id: string; personal: boolean } }[]).find((m) => m.org.personal)!.org;
  const target = await openTarget();
  let popup = await openPopup();
  await popup.waitForSelector('#orgField:not([hidden])'); // two organisations now: the picker is there
  expect(await popup.locator('#org option').allTextContents()).toEqual([`${user.username} (personal)`, 'Acme Support']);
  expect(await popup.inputValue('#org')).toBe(personal.id);
  await popup.selectOption('#org', org.id);
  await record(popup, target, 3000);
  await popup.fill('#title', 'Into Acme Support');
  await popup.click('#send');
  const entry = popup.locator('#recent li', { hasText: 'Into Acme Support' });
  await waitFor('the upload to reach the server', async () => !!(await entry.getAttribute('data-submission-id').catch(() => null)), 60_000, 100);
  const id = (await entry.getAttribute('data-submission-id')) ?? '';
  const inOrg = (await c.json('GET', `/api/submissions?orgId=${org.id}`)).body.items as { id: string; orgId: string }[];
  expect(inOrg.map((s) => s.id)).toEqual([id]);
  expect(inOrg[0]!.orgId).toBe(org.id);
  const inPersonal = (await c.json('GET', `/api/submissions?orgId=${personal.id}&limit=100`)).body.items as { id: string }[];
  expect(inPersonal.map((s) => s.id)).not.toContain(id);
  await popup.close();

  // Opened again: the choice is remembered.
  popup = await openPopup();
  await popup.waitForSelector('#orgField:not([hidden])');
  expect(await popup.inputValue('#org')).toBe(org.id);
  await popup.close();

  // A remembered organisation the person is no longer in: the personal one, and the popup says so.
  const me = (await c.json('GET', '/api/auth/me')).body.user as { id: string };
  await sw.evaluate(`chrome.storage.local.set({ 'uploadOrg:${me.id}': { id: '00000000-0000-4000-8000-000000000000', name: 'Old Corp' } })`);
  popup = await openPopup();
  await popup.waitForSelector('#orgNote:not([hidden])');
  expect(await popup.textContent('#orgNote')).toBe(`You are no longer in Old Corp: new recordings go to ${user.username} (personal).`);
  expect(await popup.inputValue('#org')).toBe(personal.id);
  await Promise.all([popup.close(), target.close()]);
});
