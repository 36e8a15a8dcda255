// Cross-origin isolation for static hosts that cannot send headers. The
// threaded build shares its wasm memory with helper threads, which browsers
// allow only on a cross-origin isolated page: one served with
// Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy:
// require-corp (scripts/serve.py sends both). On a host that sends neither,
// www/page/isolation.js registers this worker; it answers the site's own requests
// with the same responses plus those two headers, and the page reloads once
// so that its document, too, comes through here. Cross-origin requests pass
// untouched (the site makes none). No caching: every response is the
// network's.

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (new URL(request.url).origin !== self.location.origin) return;
  // A request only the cache may answer cannot be fetched again from here.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(
    fetch(request).then((response) => {
      if (response.type === 'opaque' || response.status === 0) return response;
      const headers = new Headers(response.headers);
      headers.set('Cross-Origin-Opener-Policy', 'same-origin');
      headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }),
  );
});
