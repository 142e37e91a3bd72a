import { describeBrowser } from '../shared/context';
import { captureTab, findTargetTab } from './capture';

/** Captures the page being described (facts and screenshot) into session storage for the next submit. */
export async function captureContext(fallbackSelection?: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const tab = await findTargetTab();
  if (!tab) return { ok: false, reason: 'No web page is open to describe.' };
  const captured = await captureTab(tab, fallbackSelection);
  await chrome.storage.session.set({ captured });
  return { ok: true };
}

export function browserDescription(): string {
  const hints = (navigator as Navigator & { userAgentData?: { brands?: { brand: string; version: string }[]; platform?: string } }).userAgentData;
  return describeBrowser(navigator.userAgent, hints);
}
