jest.setTimeout(120_000);

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { REPO_ROOT } from '../../scripts/stack/paths';
import { findFreePorts } from '../../scripts/stack/ports';
import { startProcess, type ManagedProcess } from '../../scripts/stack/process';
import { ApiClient } from '../../test/support/apiClient';
import { launchChromium } from '../../test/support/browser';
import { waitForMail } from '../../test/support/mailbox';
import { startApi, type RunningApi } from '../../test/support/services';
import { waitFor } from '../../test/support/waitFor';
import { ensureWebDist } from '../../test/support/webDist';

/**
 * The web app's account flows that leave the app, in Debian's Chromium against the real API: a password reset
 * through the e-mail the API writes to MAIL_DIR, and OpenID Connect sign-in at a real local provider (npm
 * oidc-provider, in its own process) back into the app. The API listens on a port chosen beforehand so that
 * WEB_APP_URL (the reset link and the OAuth landing page) is its own address, as in production.
 */
const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a brand new passphrase of mine';
const OIDC_SECRET = 'voyce-test-secret-voyce-test-secret';

let api: RunningApi;
let provider: ManagedProcess;
let browser: Browser;
let mailDir: string;
let issuer: string;
const contexts: BrowserContext[] = [];
/** Console errors and uncaught exceptions of every page, with the page they happened on. */
const consoleErrors: string[] = [];
/** Console errors a step expects (the browser reports the 401 of a refused sign-in); each excuses one. */
const expectedErrors: RegExp[] = [];

beforeAll(async () => {
  const dist = ensureWebDist();
  mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'voyce-web-e2e-mail-'));
  const [apiPort, oidcPort] = await findFreePorts(2);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  issuer = `http://127.0.0.1:${oidcPort}`;
  provider = startProcess({
    name: 'oidc-web-e2e',
    command: process.execPath,
    args: [path.join(REPO_ROOT, 'test/support/oidcProvider.mjs')],
    cwd: REPO_ROOT,
    env: { ...process.env, OIDC_PORT: String(oidcPort), OIDC_REDIRECT_URI: `${apiUrl}/api/auth/oauth/local/callback` },
    quiet: true,
  });
  [api] = await Promise.all([
    startApi(
      {
        WEB_DIST_DIR: dist,
        WEB_APP_URL: apiUrl,
        MAIL_DIR: mailDir,
        RATE_LIMIT_PREFIX: `test:${randomUUID()}:`,
        OAUTH_PROVIDERS: JSON.stringify([{ name: 'local', issuer, clientId: 'voyce-test', clientSecret: OIDC_SECRET }]),
      },
      apiPort,
    ),
    provider.waitForOutput(/oidc ready/, { timeoutMs: 30_000, what: 'the OpenID provider' }),
  ]);
  browser = await launchChromium();
}, 110_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await provider?.stop();
  await api?.close();
  if (mailDir) fs.rmSync(mailDir, { recursive: true, force: true });
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: api.url });
  contexts.push(context);
  // The provider's development pages @import a web font; nothing leaves the machine (and no failed load is logged).
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.fulfill({ status: 200, contentType: 'text/css', body: '' }));
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const excused = expectedErrors.findIndex((re) => re.test(m.text()));
    if (excused >= 0) expectedErrors.splice(excused, 1);
    else consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: uncaught ${e.message}`));
  return page;
}

async function fillSignIn(page: Page, login: string, password: string): Promise<void> {
  await page.getByLabel('E-mail or username').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signed in as `username`: the record page, the name in the header, and no token in page-readable storage. */
async function expectSignedIn(page: Page, username: string): Promise<void> {
  await page.getByRole('heading', { name: 'Give feedback' }).waitFor();
  await page.locator('.account', { hasText: username }).getByRole('button', { name: 'Sign out' }).waitFor();
  expect(await page.evaluate('JSON.stringify({ ...localStorage, ...sessionStorage })')).not.toMatch(/refreshToken|accessToken|eyJ/);
  expect(await page.evaluate('document.cookie')).not.toContain('voyce_refresh');
}

it('resets a forgotten password through the e-mailed link; the new password signs in, the old one is refused', async () => {
  const user = await new ApiClient(api.url).registerFresh();
  const page = await newPage();
  await page.goto('/signin');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.waitForURL('**/forgot-password');
  await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
  await page.getByLabel('E-mail').fill(user.email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await page.getByRole('status').filter({ hasText: `If an account uses ${user.email}` }).waitFor();

  const mail = await waitForMail(mailDir, user.email);
  expect(mail.headers).toMatch(/^Subject: Reset your Voyce password/m);
  const link = /(http:\/\/\S+\/reset-password\?token=[A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  expect(link?.startsWith(`${api.url}/reset-password?token=`)).toBe(true);

  await page.goto(link!);
  await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
  await page.getByLabel('New password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  const done = page.getByRole('status').filter({ hasText: 'Your password has been changed' });
  await done.waitFor();
  await done.getByRole('link', { name: 'Sign in' }).click();
  await page.waitForURL('**/signin');

  // The old password no longer opens the account (the browser reports the 401 of the refused request).
  expectedErrors.push(/status of 401/);
  await fillSignIn(page, user.username, PASSWORD);
  await page.getByRole('alert').waitFor();
  expect(new URL(page.url()).pathname).toBe('/signin');
  await waitFor('the browser to report the refused sign-in', async () => expectedErrors.length === 0, 5_000, 20);

  await page.getByLabel('Password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectSignedIn(page, user.username);

  // The link works once: opened again, the new password it sets is refused.
  expectedErrors.push(/status of 400/);
  const again = await newPage();
  await again.goto(link!);
  await again.getByLabel('New password').fill('yet another passphrase here');
  await again.getByRole('button', { name: 'Change password' }).click();
  await again.getByRole('alert').waitFor();
  await waitFor('the browser to report the refused reset', async () => expectedErrors.length === 0, 5_000, 20);
  expect((await new ApiClient(api.url).json('POST', '/api/auth/login', { login: user.username, password: NEW_PASSWORD })).status).toBe(200);
});

it('signs in with the OpenID provider: its login and consent pages, then back in the app with the session in the cookie', async () => {
  const email = `oidc-web-${randomUUID().slice(0, 8)}@example.test`;
  const page = await newPage();
  await page.goto('/signin');
  await page.getByRole('link', { name: 'Continue with local' }).click();

  // The provider's own (development) pages: any login, taken as the e-mail; then consent.
  await page.waitForURL(`${issuer}/**`);
  await page.locator('input[name=login]').fill(email);
  await page.locator('input[name=password]').fill('anything');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();

  // The callback page takes the access token out of the address bar and goes to the app signed in.
  await page.waitForURL(`${api.url}/`);
  expect(page.url()).not.toContain('accessToken');
  const user = await api.deps.users.findByLogin(email);
  expect(user).not.toBeNull();
  await expectSignedIn(page, user!.username);
  const refresh = (await page.context().cookies(`${api.url}/api/auth/refresh`)).find((c) => c.name === 'voyce_refresh');
  expect(refresh).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/auth' });

  // A reload restores the session from the cookie alone; My feedback opens.
  await page.reload();
  await expectSignedIn(page, user!.username);
  await page.getByRole('link', { name: 'My feedback' }).click();
  await page.waitForURL('**/feedback');
  await page.getByRole('heading', { name: 'My feedback' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/feedback');
});

it('logged no console errors on any page of the tests above', () => {
  expect(consoleErrors).toEqual([]);
});
