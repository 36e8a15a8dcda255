// The site's one service worker, at its root so that its scope is the whole
// site (registered by www/page/service-worker-setup.js). It does the two things
// a plain static host cannot:
//
// - Cross-origin isolation. The threaded build shares its wasm memory with
//   helper threads, which browsers allow only on a page served with
//   Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy:
//   require-corp (scripts/serve.py sends both). Every answer to the site's
//   own requests carries them, and the page reloads once so that its
//   document, too, comes through here. Cross-origin requests pass untouched
//   (the site makes none).
// - Offline. It keeps this build's files in a cache named for the build and
//   answers from it first. scripts/build-site.sh writes the build's name (a
//   hash of every file's hash) into BUILD below and lists the files with
//   their hashes in build.json. The cache holds the app shell (every file
//   but the core's builds and the datasets) and the one build of the core
//   the browser runs; the datasets stay in the training worker's own cache,
//   keyed by the same hashes (www/worker/dataset-download.js).
//
// A new deploy changes BUILD, so the browser installs the new worker beside
// the old. It copies the files whose hash has not changed from the old cache
// and downloads the rest, then waits: a page must never run half old, half
// new files. It takes over when the page's "Use the new version" is pressed,
// or when no tab of the old version is left, and then deletes the old caches
// and the datasets no longer listed, so an old version is never served again.

const BUILD = 'unbuilt'; // scripts/build-site.sh replaces this with the build's hash
const SCOPE = new URL(self.registration.scope);
// Caches belong to the origin, which other sites may share (user.github.io/*,
// or two copies of this one): ours are named for our scope, and we touch no
// other cache, and no other registration.
const PREFIX = `ae-playground-build ${SCOPE.pathname} `;
const CACHE = PREFIX + BUILD;
/** The training worker's cache of datasets (www/worker/dataset-download.js): pruned here on a new build. */
const DATA_CACHE = 'ae-playground-data-v2';
/** Stored with every cached file, so a later build can tell which files it may copy. */
const HASH = 'X-Content-Hash';

/** build.json as the host has it now: {build, files: {path: hash}}, or null without one. */
async function fetchManifest() {
  try {
    const res = await fetch(new URL('build.json', SCOPE), { cache: 'no-store' });
    const manifest = res.ok ? await res.json() : null;
    return manifest?.build === BUILD ? manifest : null;
  } catch {
    return null;
  }
}

/** The cache names of this site's other builds. */
const olderCaches = async () => (await caches.keys()).filter((name) => name.startsWith(PREFIX) && name !== CACHE);

let manifest = null;
/** The manifest of this worker's build: from its cache, else from the host. */
async function ownManifest() {
  if (manifest) return manifest;
  const cached = await (await caches.open(CACHE)).match(new URL('build.json', SCOPE));
  manifest = cached ? await cached.json() : await fetchManifest();
  return manifest;
}

/** The app shell: every file but the core's builds and the datasets. */
const isShell = (path) => !path.startsWith('pkg/') && !path.endsWith('.gz');
/** The core build a file belongs to ('threads' for pkg/threads/…), or null. */
const buildOf = (path) => /^pkg\/([^/]+)\//.exec(path ?? '')?.[1] ?? null;

/** The path of a request under the scope ('' is index.html), or null outside it. */
function pathOf(url) {
  const u = new URL(url);
  if (u.origin !== SCOPE.origin || !u.pathname.startsWith(SCOPE.pathname)) return null;
  const path = decodeURIComponent(u.pathname.slice(SCOPE.pathname.length));
  return path === '' || path.endsWith('/') ? `${path}index.html` : path;
}

/**
 * Puts `paths` into this build's cache: each from the cache already, from an
 * older build's cache when its hash is the same, else from the host.
 * Resolves to the number of files it could not get.
 */
async function keep(paths, files) {
  const cache = await caches.open(CACHE);
  const older = await olderCaches();
  const results = await Promise.allSettled(
    paths.map(async (path) => {
      const key = new URL(path, SCOPE);
      if (await cache.match(key)) return;
      for (const name of older) {
        const old = await (await caches.open(name)).match(key);
        if (old && old.headers.get(HASH) === files[path]) return cache.put(key, old);
      }
      const res = await fetch(key, { cache: 'no-store' });
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
      await cache.put(key, await stamped(res, files[path]));
    }),
  );
  return results.filter((r) => r.status === 'rejected').length;
}

/** Keeps build.json itself, which the page reads for its version, offline too. */
async function keepManifest(m) {
  const body = JSON.stringify(m);
  await (await caches.open(CACHE)).put(new URL('build.json', SCOPE), new Response(body, { headers: { 'Content-Type': 'application/json' } }));
}

/** `res` with its content hash among its headers (a body read once, here). */
async function stamped(res, hash) {
  const headers = new Headers(res.headers);
  headers.set(HASH, hash);
  return new Response(await res.arrayBuffer(), { status: res.status, statusText: res.statusText, headers });
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      if (!self.registration.active) {
        // The first install: no older version to mix with, and a page waiting
        // to reload into isolation. The shell is cached as the page loads it
        // through here and when the page asks (`keep`).
        await self.skipWaiting();
        return;
      }
      // An update: the shell, and the core builds the old version kept,
      // before it may take over.
      const m = await fetchManifest();
      if (!m) return;
      const builds = new Set();
      for (const name of await olderCaches()) {
        for (const req of await (await caches.open(name)).keys()) builds.add(buildOf(pathOf(req.url)));
      }
      await keepManifest(m);
      await keep(Object.keys(m.files).filter((p) => isShell(p) || builds.has(buildOf(p))), m.files);
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await olderCaches()) await caches.delete(name);
      // Datasets of this site that this build does not list, by path or by
      // hash, go too.
      // (The first cache of datasets, v1, was keyed by path alone.)
      const m = await ownManifest();
      for (const name of [DATA_CACHE, 'ae-playground-data-v1']) {
        if (!m || !(await caches.has(name))) continue;
        const data = await caches.open(name);
        for (const req of await data.keys()) {
          const u = new URL(req.url);
          const path = pathOf(u.origin + u.pathname);
          if (path !== null && m.files[path] !== u.searchParams.get('sha256')) await data.delete(req);
        }
      }
      await self.clients.claim();
    })(),
  );
});

// The page asks for the whole shell and its core build to be kept:
// {type: 'keep', build: 'relaxed'} on a MessageChannel; the answer is
// {build, missing}, missing being the files it could not get (0: works offline).
self.addEventListener('message', (event) => {
  const msg = event.data ?? {};
  if (msg.type === 'activate') {
    self.skipWaiting();
    return;
  }
  if (msg.type !== 'keep') return;
  const reply = (answer) => event.ports[0]?.postMessage(answer);
  event.waitUntil(
    (async () => {
      const m = await ownManifest();
      if (!m) return reply({ build: null, missing: 0 });
      const paths = Object.keys(m.files).filter((p) => isShell(p) || (msg.build && buildOf(p) === msg.build));
      await keepManifest(m);
      reply({ build: BUILD, missing: await keep(paths, m.files) });
    })(),
  );
});

/** `response` as the page gets it: with the two isolation headers. */
function isolated(response) {
  if (response.type === 'opaque' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function answer(request, path) {
  const m = path && request.method === 'GET' ? await ownManifest() : null;
  // build.json is this build's own, not the host's newest: from the cache.
  const hash = path === 'build.json' ? m?.build : m?.files[path];
  // Datasets and anything this build does not list: the host's answer.
  if (hash === undefined || path.endsWith('.gz')) return isolated(await fetch(request));
  const cache = await caches.open(CACHE);
  const key = new URL(path, SCOPE);
  const cached = await cache.match(key);
  if (cached) return isolated(cached);
  const res = await fetch(request);
  if (!res.ok) return isolated(res);
  const copy = await stamped(res, hash);
  await cache.put(key, copy.clone()).catch(() => {}); // a full quota only costs offline use
  return isolated(copy);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const path = pathOf(request.url);
  if (path === null) return;
  // A request only the cache may answer cannot be fetched again from here.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(answer(request, path));
});
