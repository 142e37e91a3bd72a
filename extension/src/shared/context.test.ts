import { describe, expect, it } from 'vitest';
import { ALL_CHOICES, buildContext, dataUrlToBlob, describeBrowser, normaliseSelection, sendableUrl } from './context';

const facts = { url: 'https://shop.example/cart?x=1#top', title: '  Cart  ', selection: 'Pay   now\n\n  today', viewport: { width: 1280, height: 720 } };
const LINUX_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('buildContext', () => {
  it('sends every captured part by default, cleaned up', () => {
    expect(buildContext(facts, 'Chrome 131 on Linux', 'extension 0.1.0', ALL_CHOICES)).toEqual({
      client: 'extension',
      appVersion: 'extension 0.1.0',
      pageUrl: 'https://shop.example/cart?x=1#top',
      pageTitle: 'Cart',
      selection: 'Pay now\ntoday',
      viewport: { width: 1280, height: 720 },
      device: 'Chrome 131 on Linux',
    });
  });

  it('leaves out each part the person unticks', () => {
    const none = { url: false, title: false, selection: false, viewport: false, device: false, screenshot: false };
    expect(buildContext(facts, 'Chrome', 'v', none)).toEqual({ client: 'extension', appVersion: 'v' });
    const ctx = buildContext(facts, 'Chrome', 'v', { ...ALL_CHOICES, selection: false, url: false });
    expect(ctx.selection).toBeUndefined();
    expect(ctx.pageUrl).toBeUndefined();
    expect(ctx.pageTitle).toBe('Cart');
  });

  it('cuts what is longer than the server accepts instead of being refused', () => {
    const ctx = buildContext({ ...facts, selection: 'a'.repeat(10_000), title: 't'.repeat(600) }, 'd'.repeat(300), 'v'.repeat(80), ALL_CHOICES);
    expect(ctx.selection).toHaveLength(4096);
    expect(ctx.pageTitle).toHaveLength(512);
    expect(ctx.device).toHaveLength(256);
    expect(ctx.appVersion).toHaveLength(64);
  });

  it('drops a viewport that is not a positive integer size', () => {
    expect(buildContext({ viewport: { width: 0, height: 10 } }, '', 'v', ALL_CHOICES).viewport).toBeUndefined();
    expect(buildContext({ viewport: { width: 10.5, height: 10 } }, '', 'v', ALL_CHOICES).viewport).toBeUndefined();
  });
});

describe('sendableUrl', () => {
  it('keeps http(s) pages and strips credentials', () => {
    expect(sendableUrl('https://ann:secret@app.example/x')).toBe('https://app.example/x');
    expect(sendableUrl('http://127.0.0.1:8080/a?b=c')).toBe('http://127.0.0.1:8080/a?b=c');
  });
  it('refuses browser pages, files and overlong URLs (a cut URL would be wrong)', () => {
    for (const url of ['chrome://settings', 'file:///etc/passwd', 'chrome-extension://abc/popup.html', 'not a url', undefined]) expect(sendableUrl(url)).toBeUndefined();
    expect(sendableUrl(`https://a.example/${'x'.repeat(3000)}`)).toBeUndefined();
  });
});

describe('normaliseSelection', () => {
  it('collapses whitespace and treats blank as nothing', () => {
    expect(normaliseSelection('  one\u00a0 two \n\n three ')).toBe('one two\nthree');
    expect(normaliseSelection(' \n ')).toBeUndefined();
  });
});

describe('describeBrowser', () => {
  it('reads the UA string', () => {
    expect(describeBrowser(LINUX_UA)).toBe('Chrome 131 on Linux x86_64');
    expect(describeBrowser('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36 Edg/120.0.1')).toBe('Edge 120 on Windows x86_64');
  });
  it('prefers client hints, skipping the GREASE brand', () => {
    const hints = { brands: [{ brand: 'Not_A Brand', version: '8' }, { brand: 'Chromium', version: '131' }, { brand: 'Google Chrome', version: '131' }], platform: 'macOS' };
    expect(describeBrowser(LINUX_UA, hints)).toBe('Google Chrome 131 on macOS x86_64');
  });
});

describe('dataUrlToBlob', () => {
  it('decodes captureVisibleTab output to the image bytes', async () => {
    const jpeg = [0xff, 0xd8, 0xff, 0xe0, 1, 2, 3];
    const blob = dataUrlToBlob(`data:image/jpeg;base64,${btoa(String.fromCharCode(...jpeg))}`);
    expect(blob.type).toBe('image/jpeg');
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual(jpeg);
  });
  it('refuses anything else', () => {
    expect(() => dataUrlToBlob('https://x.example/a.png')).toThrow(/data: URL/);
  });
});
