/*
 * The field officer's service worker (issue 19 item 2), written by hand: web/vite.field.config.ts
 * fills in the build's version and the files of the /field entry. It keeps the page itself — the
 * HTML, its script and style, the manifest and the icon — so /field opens with no connection.
 * It never touches /api/: personal data is not cached by the browser; the page keeps the officer's
 * cards in IndexedDB itself and its calls fail plainly when offline.
 */
const VERSION = '__FIELD_VERSION__';
const SHELL = __FIELD_SHELL__;
const CACHE = `laowu-field-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('laowu-field-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || event.request.method !== 'GET' || url.pathname.startsWith('/api/')) return;
  if (event.request.mode === 'navigate') {
    // The page: the server's when it answers (a new version), else the kept one.
    event.respondWith(
      fetch(event.request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put('/field', copy));
          }
          return response;
        })
        .catch(() => caches.match('/field')),
    );
    return;
  }
  // Assets are named by their content: the kept copy is the file.
  if (SHELL.includes(url.pathname)) event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(event.request)));
});
