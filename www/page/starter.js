// The first visit: the page's default model arrives already trained a little
// (data/starter.safetensors, which scripts/build-site.sh has the CLI train on
// MNIST from the default seed: `ae-playground starter`) and goes on training
// by itself, so a drawing comes back as itself within seconds and the views
// move without a click. The file is fetched while the worker loads the core
// and the data; at the worker's `ready` it is opened as any model file would
// be, and training starts when it is in. A host without the file (or a
// failed fetch) only loses the head start: the seed's model trains instead.

const STARTER_URL = 'data/starter.safetensors';

/**
 * @param {object} page  what the first visit uses of the page
 * @param {object} page.app  the page's state (page-state.js)
 * @param {import('./worker-client.js').WorkerClient} page.client  opens the file in the worker
 * @param {(m: object, o: {quiet: boolean}) => void} page.takeImported  the page takes the opened
 *   model's settings (settings-changes.js's onImported)
 * @param {(o: {byLink: string}) => void} page.play  starts training (main.js)
 */
export function createStarter({ app, client, takeImported, play }) {
  /** The file's bytes (null if it could not be had) while a first visit waits for `ready`. */
  let bytes = null;

  /** A first visit: fetch the file now, open it at `ready`. */
  function begin() {
    for (const p of document.querySelectorAll('#first-hint [data-first]')) p.hidden = p.dataset.first !== 'training';
    bytes = fetch(STARTER_URL)
      .then((r) => (r.ok ? r.arrayBuffer() : null))
      .catch(() => null);
  }

  /** At the worker's `ready`: true when the first visit takes it from here. */
  function onReady() {
    if (!bytes) return false;
    const waiting = bytes;
    bytes = null;
    app.awaitingReady = true; // the controls wait for the starter model
    app.openingStarter = true;
    waiting.then((b) => {
      if (!app.openingStarter) return; // the visitor changed the model meanwhile
      if (b) return client.send({ type: 'import', bytes: b }, [b]);
      app.openingStarter = false;
      app.awaitingReady = false;
      play({ byLink: 'first' });
    });
    return true;
  }

  /** The worker's `imported` (true if it was the starter's) and `error` for the import. */
  function onOpened(m) {
    if (!app.openingStarter) return false;
    app.openingStarter = false;
    if (m.type === 'imported') takeImported(m, { quiet: true });
    app.awaitingReady = false;
    play({ byLink: 'first' });
    return true;
  }

  /** Anything that replaces the model (a new setting, Reset, a file) ends the wait. */
  function cancel() {
    bytes = null;
    app.openingStarter = false;
  }

  return { begin, onReady, onOpened, cancel };
}
