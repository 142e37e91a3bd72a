/**
 * The web build registers a service worker (public/sw.js) that keeps the app's own files, so a page
 * reloaded without a network still opens and can show and later send the queued recordings.
 */
export function registerOfflineShell(): void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js').catch((err: unknown) => console.warn('offline shell not available:', err));
}
