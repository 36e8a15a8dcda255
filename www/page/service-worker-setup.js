// Makes the page cross-origin isolated where the host did not (see
// www/coi-serviceworker.js, at the site's root so that its scope is the whole
// site): registers the service worker that adds the headers, then reloads
// once so that the page comes through it. Without
// isolation the training worker runs one thread and the page says why.
//
// Not in a frame (an embedded lesson cannot be isolated unless the embedding
// page is, so it runs one thread), not when service workers are unavailable
// (or blocked), and at most one reload per tab: if the browser still does not
// isolate the page after it, the page goes on with one thread.

const TRIED_KEY = 'ae-playground:coi-reload';
/** How long the service worker may take to start before the page goes on without it. */
const ACTIVATION_MS = 3000;

/** Resolves when the page should start; never, when it is about to reload. */
export async function ensureIsolation() {
  if (globalThis.crossOriginIsolated || !globalThis.isSecureContext || !('serviceWorker' in navigator)) return;
  if (window.top !== window || navigator.serviceWorker.controller) return;
  try {
    if (sessionStorage.getItem(TRIED_KEY)) return;
    sessionStorage.setItem(TRIED_KEY, '1');
    const registered = navigator.serviceWorker.register(new URL('../coi-serviceworker.js', import.meta.url)).then(() => navigator.serviceWorker.ready);
    // A browser may accept the registration and never activate the worker
    // (blocked by policy): then start without it rather than wait forever.
    const late = new Promise((_, reject) => setTimeout(() => reject(new Error('no service worker')), ACTIVATION_MS));
    await Promise.race([registered, late]);
  } catch {
    return; // no storage, no registration or no activation: one thread
  }
  location.reload();
  await new Promise(() => {});
}
