// The page's side of the site's service worker (www/service-worker.js, at the
// site's root so that its scope is the whole site): it registers it, asks it
// to keep what the page needs offline, and hands a new version's worker the
// site when the person says so.
//
// Isolation: where the host sent no COOP/COEP headers, the page reloads once
// through the worker, which adds them (the threaded build needs them).
// Without isolation the training worker runs one thread and the page says
// why. Not in a frame (an embedded lesson cannot be isolated unless the
// embedding page is, so it runs one thread; nor does a frame register
// anything on another site's behalf), not when service workers are
// unavailable or blocked, and at most one reload per tab and session: a
// browser that still does not isolate the page after it (one that ignores
// the headers a worker adds) goes on with one thread rather than loop.

const TRIED_KEY = 'ae-playground:coi-reload';
/** How long the service worker may take to start before the page goes on without it. */
const ACTIVATION_MS = 3000;

/** The registration, or null where the page has no service worker. */
let registration = null;

function usable() {
  return globalThis.isSecureContext && 'serviceWorker' in navigator && window.top === window;
}

/** Registers the worker (again: the browser then checks the host for a new version). */
function register() {
  registration ??= navigator.serviceWorker.register(new URL('../service-worker.js', import.meta.url), { updateViaCache: 'none' }).catch(() => null);
  return registration;
}

/** Resolves when the page should start; never, when it is about to reload. */
export async function startServiceWorker() {
  if (!usable()) return;
  register();
  if (globalThis.crossOriginIsolated || navigator.serviceWorker.controller) return;
  try {
    if (sessionStorage.getItem(TRIED_KEY)) return;
    sessionStorage.setItem(TRIED_KEY, '1');
    // A browser may accept the registration and never activate the worker
    // (blocked by policy): then start without it rather than wait forever.
    const late = new Promise((_, reject) => setTimeout(() => reject(new Error('no service worker')), ACTIVATION_MS));
    await Promise.race([register().then((r) => r && navigator.serviceWorker.ready), late]);
    if (!(await register())) return;
  } catch {
    return; // no storage, no registration or no activation: one thread
  }
  location.reload();
  await new Promise(() => {});
}

const kept = new Map();
/** Fires `kept` with detail {build, missing} when the worker has answered keepOffline. */
export const offlineEvents = new EventTarget();

/**
 * Asks the worker to keep the app shell and the core build `build` (the one
 * the training worker loaded) for offline use. Resolves to {build, missing}:
 * the site's version and how many files it could not get (0: the page works
 * offline), or null without a worker. Once per build and page.
 */
export function keepOffline(build) {
  if (!usable()) return Promise.resolve(null);
  if (!kept.has(build)) {
    kept.set(
      build,
      (async () => {
        if (!(await register())) return null;
        const active = (await navigator.serviceWorker.ready).active;
        const channel = new MessageChannel();
        const answer = new Promise((resolve) => (channel.port1.onmessage = (e) => resolve(e.data)));
        active.postMessage({ type: 'keep', build }, [channel.port2]);
        const result = await answer;
        offlineEvents.dispatchEvent(new CustomEvent('kept', { detail: result }));
        return result;
      })(),
    );
  }
  return kept.get(build);
}

/**
 * Calls `onWaiting()` when a new version of the site has been installed and
 * waits for this page to let it take over (at once if one already waits).
 */
export async function whenNewVersion(onWaiting) {
  const reg = usable() ? await register() : null;
  if (!reg) return;
  const check = () => reg.waiting && navigator.serviceWorker.controller && onWaiting();
  reg.addEventListener('updatefound', () => {
    const next = reg.installing;
    next?.addEventListener('statechange', () => next.state === 'installed' && check());
  });
  check();
}

/** Lets the waiting version take over, and reloads the page into it. */
export async function useNewVersion() {
  const reg = await register();
  if (!reg?.waiting) return location.reload();
  navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
  reg.waiting.postMessage({ type: 'activate' });
}
