// Whether the page has caught up with everything it asked of the worker, for
// the browser tests (tests/web/harness.mjs `settle`): they wait for this
// condition instead of pausing for a guessed number of milliseconds, so a
// test reads the same thing on a fast machine and on a slow one.

/**
 * Sets `globalThis.aeSettled()`: true when the drawing pad has told its last
 * change, every request and command is answered (stale ones included), the
 * worker has confirmed it is not training, the test figures are those of the
 * step shown, and no plot is still easing to a new box.
 * @param {{app: object, client: import('./worker-client.js').WorkerClient, pad: {pending: () => boolean}}} parts
 */
export function exposeSettled({ app, client, pad }) {
  // The pad has told its last stroke (the input shows all of it), training or not: harness.mjs `draw`.
  globalThis.aeDrawn = () => !pad.pending();
  globalThis.aeSettled = () =>
    Boolean(app.info) &&
    !app.awaitingReady &&
    !app.running &&
    !app.workerRunning &&
    !pad.pending() &&
    client.quiet() &&
    (app.lastTest?.step ?? -1) === (app.progress?.step ?? 0) &&
    !document.querySelector('[data-easing]');
}
