/**
 * The page context sent with a recording: what the page was, what was selected, the viewport, the browser and
 * OS. Each part can be left out by the person sending; limits follow the server's `context` schema (API.md),
 * so a long selection is cut rather than refused.
 */

export interface PageFacts {
  url?: string;
  title?: string;
  selection?: string;
  viewport?: { width: number; height: number };
}

export interface ContextChoices {
  url: boolean;
  title: boolean;
  selection: boolean;
  viewport: boolean;
  device: boolean;
  screenshot: boolean;
}

export const ALL_CHOICES: ContextChoices = { url: true, title: true, selection: true, viewport: true, device: true, screenshot: true };

/** The `context` field of an upload (API.md). */
export interface SubmissionContext {
  client: 'extension';
  pageUrl?: string;
  pageTitle?: string;
  selection?: string;
  viewport?: { width: number; height: number };
  appVersion?: string;
  device?: string;
}

const LIMITS = { url: 2048, title: 512, selection: 4096, appVersion: 64, device: 256 } as const;

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** Only http(s) pages are worth sending (and the server accepts no other scheme); credentials are stripped. */
export function sendableUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    url.username = '';
    url.password = '';
    const text = url.toString();
    return text.length <= LIMITS.url ? text : undefined; // a cut URL would be a wrong URL
  } catch {
    return undefined;
  }
}

/** Collapses runs of whitespace that selections across block elements bring. */
export function normaliseSelection(raw: string | undefined): string | undefined {
  const text = raw?.replace(/[ \t\u00a0]+/g, ' ').replace(/\s*\n\s*/g, '\n').trim();
  return text ? cut(text, LIMITS.selection) : undefined;
}

/** "Chrome 131 on Linux x86_64", from User-Agent Client Hints when there, else the UA string. */
export function describeBrowser(ua: string, hints?: { brands?: { brand: string; version: string }[]; platform?: string }): string {
  const brand = hints?.brands?.find((b) => !/not.a.brand/i.test(b.brand) && b.brand !== 'Chromium') ?? hints?.brands?.find((b) => b.brand === 'Chromium');
  // Chromium-based browsers also say "Chrome/": look for the more specific names first.
  const named = [['Edg', 'Edge'], ['OPR', 'Opera'], ['Chrome', 'Chrome'], ['Chromium', 'Chromium'], ['Firefox', 'Firefox']]
    .map(([token, name]) => [name, new RegExp(`${token}/(\\d+)`).exec(ua)?.[1]] as const)
    .find(([, version]) => version);
  const browser = brand ? `${brand.brand} ${brand.version}` : named ? `${named[0]} ${named[1]}` : 'unknown browser';
  const os =
    hints?.platform ||
    (/Windows NT/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Android/.test(ua) ? 'Android' : /CrOS/.test(ua) ? 'ChromeOS' : /Linux/.test(ua) ? 'Linux' : 'unknown OS');
  const arch = /x86_64|x64|Win64/.test(ua) ? ' x86_64' : /aarch64|arm64/i.test(ua) ? ' arm64' : '';
  return cut(`${browser} on ${os}${arch}`, LIMITS.device);
}

/** Builds the `context` to send from what was captured and what the person chose to keep. */
export function buildContext(facts: PageFacts, device: string, appVersion: string, choose: ContextChoices): SubmissionContext {
  const ctx: SubmissionContext = { client: 'extension', appVersion: cut(appVersion, LIMITS.appVersion) };
  const url = choose.url ? sendableUrl(facts.url) : undefined;
  if (url) ctx.pageUrl = url;
  const title = choose.title ? facts.title?.trim() : undefined;
  if (title) ctx.pageTitle = cut(title, LIMITS.title);
  const selection = choose.selection ? normaliseSelection(facts.selection) : undefined;
  if (selection) ctx.selection = selection;
  const vp = facts.viewport;
  if (choose.viewport && vp && Number.isInteger(vp.width) && Number.isInteger(vp.height) && vp.width > 0 && vp.height > 0) {
    ctx.viewport = { width: Math.min(vp.width, 100000), height: Math.min(vp.height, 100000) };
  }
  if (choose.device && device) ctx.device = cut(device, LIMITS.device);
  return ctx;
}

/** Reads the page facts inside the tab (runs as an injected function: it must not close over anything). */
export function readPageFacts(): PageFacts {
  const active = document.activeElement;
  // A selection inside a text field is not in getSelection(); read it from the field.
  const fieldSelection =
    active instanceof HTMLTextAreaElement || (active instanceof HTMLInputElement && /^(text|search|url|email)$/.test(active.type))
      ? active.value.slice(active.selectionStart ?? 0, active.selectionEnd ?? 0)
      : '';
  return {
    url: location.href,
    title: document.title,
    selection: fieldSelection || (window.getSelection()?.toString() ?? ''),
    viewport: { width: window.innerWidth, height: window.innerHeight },
  };
}

/** Decodes a `data:` URL (what captureVisibleTab answers) to bytes. */
export function dataUrlToBlob(dataUrl: string): Blob {
  const match = /^data:([^;,]+)(;base64)?,(.*)$/s.exec(dataUrl);
  if (!match) throw new Error('not a data: URL');
  const [, type, base64, payload = ''] = match;
  if (!base64) return new Blob([decodeURIComponent(payload)], { type });
  const binary = atob(payload);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}
