// What this browser remembers between visits, in localStorage: the thread
// count, which is this browser's and not the run's (it changes no result, so
// links and model files do not carry it), and that the page was seen before.
// localStorage may be off (a sandboxed frame, strict privacy settings): then
// nothing is remembered.
const THREADS_KEY = 'ae-playground:threads';
const FIRST_VISIT_KEY = 'ae-playground:visited';

function storage(use) {
  try {
    return use();
  } catch {
    return null;
  }
}

/** The thread count chosen last in this browser (1 or more), or null. */
export function rememberedThreads() {
  const n = Number(storage(() => localStorage.getItem(THREADS_KEY)));
  return n >= 1 ? n : null;
}

export function rememberThreads(n) {
  storage(() => localStorage.setItem(THREADS_KEY, String(n)));
}

/**
 * Whether this is the page's first visit in this browser; later calls say no.
 * Storage that reads but does not write (private mode) makes every visit the first.
 */
export function firstVisit() {
  let first = false;
  storage(() => {
    first = !localStorage.getItem(FIRST_VISIT_KEY);
    localStorage.setItem(FIRST_VISIT_KEY, '1');
  });
  return first;
}
