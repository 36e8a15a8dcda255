// A reload loses nothing: the playground's run is saved in this browser as
// it goes and restored when the page opens again on the same settings.
//
// Saving: the worker sends a `snapshot` (the same model file as Download
// model, optimiser state, generator and counters included, as a Blob) every few seconds
// while training and whenever training stops; this adds the settings (as the
// link spells them) and the loss history up to the snapshot's step, and
// writes it to IndexedDB's two slots (autosave.js), one write at a time: a
// snapshot that arrives during a write waits, replacing any older waiting one.
// On `pagehide` and when the tab is hidden the page asks the worker for one
// more; a browser that ends the worker first keeps the previous snapshot.
//
// Restoring: a link with settings restores only a run saved with exactly
// those settings; an address without settings restores the newest run. The
// page builds that configuration as usual, then opens the saved file as an
// import would (the worker's check included), and says "Restored your
// training from <time>: step N" with a Start fresh button. A slot the core
// refuses (damaged on disk) is skipped for the other one. A worker that
// crashes while training restarts from the newest snapshot of its settings.
import * as state from '../shared/run-settings.js';
import { openStore } from './autosave.js';
import { fmtInt } from './status.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n) => String(n).padStart(2, '0');

/** "14:03:25" today, "3 Mar 2025, 14:03" another day (not toLocaleString: see status.js). */
export function savedWhen(t, now = Date.now()) {
  const d = new Date(t);
  const time = `${two(d.getHours())}:${two(d.getMinutes())}`;
  if (d.toDateString() === new Date(now).toDateString()) return `${time}:${two(d.getSeconds())}`;
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}, ${time}`;
}

/** The history's points up to `step`, copied (the chart keeps growing the originals). */
function historyUpTo(h, step) {
  const upTo = (lines) => Object.fromEntries(Object.entries(lines).map(([k, points]) => [k, points.filter(([s]) => s <= step)]));
  return { ...upTo({ train: h.train, test: h.test }), terms: upTo(h.terms) };
}

/** A saved history; one saved before the terms were kept by name had them beside train and test. */
function savedHistory({ train = [], test = [], terms, ...old }) {
  return { train, test, terms: terms ?? old };
}

/**
 * @param {object} page  what saving and restoring use of the page
 * @param {object} page.app  the page's state (page-state.js)
 * @param {import('./worker-client.js').WorkerClient} page.client  sends the saved file to the worker, asks for snapshots
 * @param {{show: Function, clear: Function}} page.notice  the notices (notices.js)
 * @param {(id: string) => HTMLElement} page.$  an element by id
 * @param {() => void} page.renderPage  redraws the page from its state (render.js)
 * @param {() => void} page.init  builds the model of app.config afresh (main.js)
 * @param {(m: object, o: {quiet: boolean}) => void} page.takeImported  the page takes an opened model's
 *   settings (settings-changes.js's onImported)
 */
export function createSavedRun({ app, client, notice, $, renderPage, init, takeImported }) {
  let store = null;
  /** Why nothing is saved (no storage, a failed write), or null. */
  let problem = null;
  /** Writes run one after another; `waiting` is the newest snapshot not yet written. */
  let queue = Promise.resolve();
  let waiting = null;
  /** While restoring: {record, rest: [candidates]}; the record's bytes go to the worker at `ready`. */
  let restoring = null;
  /** savedAt of the newest snapshot of the model the worker holds now (written or restored), or null. */
  let current = null;

  async function openOnce() {
    if (store || problem) return store;
    try {
      store = await openStore();
    } catch (e) {
      problem = `this browser does not let the page keep data (${e.message})`;
    }
    return store;
  }

  /** The first complete snapshot among `candidates` (newest first), its bytes read, or null. */
  async function firstComplete(candidates) {
    while (candidates.length) {
      const c = candidates.shift();
      const record = await store.complete(c).catch(() => null);
      const bytes = await record?.blob.arrayBuffer().catch(() => null);
      if (bytes) return { ...record, bytes };
    }
    return null;
  }

  /**
   * On load: the saved run this link may restore (the same settings, or any
   * when the address carries none), read in full, or null. When there is one,
   * `restoring` holds it until the worker's `ready`.
   * @param {string|null} linkHash  toHash of the link's settings, or null
   */
  async function find(linkHash) {
    if (!(await openOnce())) {
      render(); // says why nothing will be saved
      return null;
    }
    const candidates = (await store.candidates().catch(() => [])).filter((c) => linkHash === null || c.hash === linkHash);
    const record = await firstComplete(candidates);
    if (!record) return null;
    restoring = { record, rest: candidates };
    app.restoringSaved = true;
    return { config: state.parseHash(record.hash).state, record };
  }

  /** At the worker's `ready`: opens the saved run. True when a restore is under way. */
  function onReady() {
    modelReplaced();
    if (!restoring) return false;
    app.awaitingReady = true; // the controls wait for the saved model
    const { bytes } = restoring.record;
    client.send({ type: 'import', bytes, restored: true }, [bytes]);
    return true;
  }

  /**
   * After the worker crashed during training (not while opening a file): the
   * newest snapshot of the settings in use, so the restarted worker goes on
   * from it rather than from the seed. True when there is one; the worker's
   * `ready` then opens it (onReady) and `imported` says so (onImported).
   */
  async function findAfterCrash(message) {
    restoring = null;
    await queue; // snapshots sent before the crash are written first, so the newest is found
    const wanted = current;
    // Only a snapshot of the model that crashed: an older run of the same settings is another run.
    if (wanted === null || !(await find(state.toHash(app.config)))) return false;
    if (restoring.record.savedAt !== wanted) {
      abandon();
      return false;
    }
    restoring.crash = message;
    return true;
  }

  /** The worker holds another model (built, or opened from a file): no snapshot of it yet. */
  function modelReplaced() {
    current = null;
  }

  /** The worker opened the saved run: the page takes the record's history and says so. */
  function onImported(m) {
    const r = restoring.record;
    const crash = restoring.crash;
    restoring = null;
    app.restoringSaved = false;
    takeImported(m, { quiet: true });
    app.history = savedHistory(r.history);
    app.lastTest = r.lastTest ?? null;
    app.lastTrain = r.lastTrain ?? null;
    app.started = true;
    app.saved = { step: r.step, savedAt: r.savedAt };
    current = r.savedAt;
    render();
    if (crash) notice.show('crash', `The model crashed (${crash}); restored it from the snapshot at step ${fmtInt(r.step)}.`, 'bad');
    else notice.show('restored', `Restored your training from ${savedWhen(r.savedAt)}: step ${fmtInt(r.step)}.`, 'info', [{ label: 'Start fresh', run: startFresh }]);
    renderPage();
  }

  /** The core refused the saved file (damaged on disk): try the other slot, or build afresh. */
  async function onImportFailed(text) {
    const record = await firstComplete(restoring.rest);
    if (record) {
      restoring = { record, rest: restoring.rest };
      onReady();
      return;
    }
    restoring = null;
    app.restoringSaved = false;
    app.awaitingReady = false;
    notice.show('restored', `Your saved training could not be restored (${text.replace(/\.$/, '')}); this is a new model built from the link.`, 'bad');
    renderPage();
  }

  /** A crash during the restore: the page starts from the link instead. */
  function abandon() {
    restoring = null;
    app.restoringSaved = false;
  }

  /** The worker's `snapshot`: queued for writing, unless it belongs to a model being replaced. */
  function onSnapshot(m) {
    if (!m.blob || !store || app.awaitingReady || restoring) return;
    const { state: config } = state.fromWorker(m.model, m.train, m.dataset ?? app.config.dataset, app.config);
    const lastTest = app.lastTest && app.lastTest.step <= m.step ? app.lastTest : null;
    const snapshot = {
      blob: m.blob,
      hash: state.toHash(config),
      step: m.step,
      epoch: m.epoch,
      samplesSeen: m.samplesSeen,
      exportMs: m.ms,
      history: historyUpTo(app.history, m.step),
      lastTest,
      lastTrain: app.lastTrain,
      savedAt: Date.now(),
    };
    const idle = !waiting;
    waiting = snapshot;
    if (idle) queue = queue.then(writeWaiting);
  }

  async function writeWaiting() {
    const s = waiting;
    waiting = null;
    if (!s) return;
    try {
      await store.save(s);
      problem = null;
      app.saved = { step: s.step, savedAt: s.savedAt };
      current = s.savedAt;
    } catch (e) {
      problem = `the last save failed (${e.message})`;
    }
    render();
  }

  /** Forgets the saved run (Start fresh, Reset); a snapshot waiting to be written is dropped. */
  function forget() {
    waiting = null;
    app.saved = null;
    if (store) queue = queue.then(() => store.clear()).catch(() => {});
    render();
    return queue;
  }

  function startFresh() {
    notice.clear('restored');
    forget();
    init();
  }

  /** The line in Share & save that says what is kept. */
  function render() {
    const el = $('autosave-status');
    const s = app.saved;
    el.textContent = problem
      ? `Your training is not being saved: ${problem}.`
      : s
        ? `Saved in this browser at step ${fmtInt(s.step)} (${savedWhen(s.savedAt)}); reloading this link restores it.`
        : 'Your training is saved in this browser every few seconds while it trains, and restored when you open this link again.';
    el.dataset.step = s ? String(s.step) : '';
  }

  // The last moments of the page: ask the worker for a snapshot of what has
  // changed since the last one (it may be ended before it answers).
  const flush = () => client.worker && client.send({ type: 'snapshot' });
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && flush());

  return { find, findAfterCrash, modelReplaced, onReady, onImported, onImportFailed, abandon, onSnapshot, forget, render, restoring: () => Boolean(restoring) };
}
