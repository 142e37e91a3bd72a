// Voyce web: keep the app shell (the page, its JS bundle and assets of this origin) so a reload works
// offline. API calls are never touched: they go to the network (and fail offline, which the upload queue
// expects), whether the API is on this origin or another.
const CACHE = 'voyce-shell-v1';

/** The page and every same-origin script, style and icon it references. */
async function shellUrls() {
  const html = await (await fetch('/', { cache: 'no-store' })).text();
  const refs = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]);
  return ['/', ...refs.filter((u) => !u.startsWith('//') && !u.startsWith('/api/'))];
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(await shellUrls());
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  // Network first (fresh after a deploy), the cached copy when offline; any navigation falls back to the shell.
  event.respondWith(
    (async () => {
      try {
        const res = await fetch(event.request);
        if (res.ok) {
          const copy = res.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(event.request, copy)));
        }
        return res;
      } catch (err) {
        const cached = (await caches.match(event.request)) || (event.request.mode === 'navigate' ? await caches.match('/') : undefined);
        if (cached) return cached;
        throw err;
      }
    })(),
  );
});
