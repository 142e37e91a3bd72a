import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, headless, for the client apps' e2e tests; `extraArgs` are added after the common switches. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', ...extraArgs],
  });
}

/**
 * Debian's Chromium, headless, for the client apps' e2e tests: its fake microphone plays `wav` once (then
 * silence) and media permission prompts are granted. `extraArgs` are added after the common switches.
 */
export function launchChromiumWithFakeMic(wav: string, extraArgs: readonly string[] = []): Promise<Browser> {
  return launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${wav}%noloop`, ...extraArgs]);
}
