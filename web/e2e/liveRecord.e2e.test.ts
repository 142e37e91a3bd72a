jest.setTimeout(300_000);

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ManagedProcess } from '../../scripts/stack/process';
import { ApiClient } from '../../test/support/apiClient';
import { launchChromiumWithFakeMic } from '../../test/support/browser';
import { startApi, startWorker, type RunningApi } from '../../test/support/services';
import { speak } from '../../test/support/speech';
import { waitFor } from '../../test/support/waitFor';
import { ensureWebDist } from '../../test/support/webDist';

/**
 * The record page's live transcript in Chromium with a fake microphone fed by espeak-ng speech, against the
 * real stack (API, live worker, Temporal worker): words appear while recording, and the recording becomes a
 * submission that completes; when /api/live cannot be reached, the same recording is uploaded instead.
 */
const SPOKEN = 'The checkout page crashes when I press the pay button.';
// One of these is enough: the live decoder hears at least one of them in this clear clip.
const HEARD = /checkout|page|crash|press|button/i;

let api: RunningApi;
let worker: ManagedProcess;
let wav: string;
const browsers: Browser[] = [];

function speechWav(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voyce-live-e2e-'));
  const src = path.join(dir, 'speech.wav');
  fs.writeFileSync(src, speak(SPOKEN, 'wav'));
  const out = path.join(dir, 'mic.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', src, '-af', 'apad=pad_dur=4', '-ar', '48000', '-ac', '1', '-c:a', 'pcm_s16le', out]);
  return out;
}

/** A new browser (its fake microphone plays the clip from the start) signed in as a fresh user. */
async function signedInPage(): Promise<{ page: Page; user: ApiClient }> {
  const browser = await launchChromiumWithFakeMic(wav);
  browsers.push(browser);
  const user = new ApiClient(api.url);
  const { username } = await user.registerFresh();
  const page = await (await browser.newContext({ baseURL: api.url })).newPage();
  await page.goto('/signin');
  await page.getByLabel('E-mail or username').fill(username);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Give feedback' }).waitFor();
  return { page, user };
}

beforeAll(async () => {
  const dist = ensureWebDist();
  wav = speechWav();
  [api, worker] = await Promise.all([startApi({ WEB_DIST_DIR: dist }), startWorker({}, 'worker-live-e2e')]);
}, 280_000);

afterAll(async () => {
  for (const b of browsers) await b.close().catch(() => undefined);
  await worker?.stop();
  await api?.close();
});

it('shows the words while recording, then the recording is a submission that completes with its details', async () => {
  const { page, user } = await signedInPage();
  await page.getByRole('button', { name: 'Start recording' }).click();
  const transcript = page.getByTestId('live-transcript');
  await transcript.waitFor();
  // Still recording (Stop is there) when the words show.
  await waitFor('words on screen before stop', async () => HEARD.test((await transcript.textContent()) ?? ''), 60_000, 100);
  expect(await page.getByRole('button', { name: 'Stop' }).isVisible()).toBe(true);
  process.stdout.write(`live words before stop: ${await transcript.textContent()}\n`);
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.getByLabel('Your recording').waitFor();
  await page.getByLabel('Title').fill('Live checkout crash');
  await page.getByRole('button', { name: 'Send feedback' }).click();
  await page.waitForURL(/\/feedback\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').pop()!;
  await page.locator('[data-testid=status] [data-status=completed]').waitFor({ timeout: 180_000 });
  const { body } = await user.json('GET', `/api/submissions/${id}`);
  expect(body.submission).toMatchObject({ title: 'Live checkout crash', status: 'completed', context: { live: true } });
});

it('uploads the recording as before when /api/live cannot be reached', async () => {
  const { page, user } = await signedInPage();
  // The live endpoint is unreachable: every socket to it is closed before it reaches the server.
  await page.routeWebSocket(/\/api\/live/, (ws) => void ws.close());
  await page.getByRole('button', { name: 'Start recording' }).click();
  await page.getByTestId('live-unavailable').waitFor({ timeout: 20_000 });
  await page.waitForTimeout(4_000);
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.getByLabel('Your recording').waitFor();
  await page.getByRole('button', { name: 'Send feedback' }).click();
  await page.waitForURL(/\/feedback\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').pop()!;
  await page.locator('[data-testid=status] [data-status=completed]').waitFor({ timeout: 180_000 });
  const { body } = await user.json('GET', `/api/submissions/${id}`);
  expect(body.submission.context.live).toBeUndefined();
  expect(body.submission.transcription?.text ?? (await page.getByTestId('transcript').textContent())).toMatch(HEARD);
});
