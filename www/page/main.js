// The playground page's entry: it creates the page's state, the worker client
// and the parts below, and wires the controls. Owns no math and no model: the
// worker (../worker/worker.js, protocol at its top) trains and answers requests.
//   page-state.js     every field of the page's state
//   worker-client.js  request ids, generations, one slot per request kind
//   pictures.js       image views, the latent plot, and the requests that fill them
//   settings-changes.js  configuration changes from the form, the link and imports
//   render.js         status, figures, loss chart, captions
//   saved-run.js      autosave to IndexedDB and restore on load
//   remembered.js     what this browser keeps between visits: the thread count, a first visit
//   starter.js        a first visit's model: trained a little at site build, training on by itself
//   settings-form.js, notices.js, model-files.js   the form, notices, model files

import * as state from '../shared/run-settings.js';
import * as drawpadView from '../views/drawpad.js';
import * as notices from './notices.js';
import { ALPHA, toMnist } from './mnist-preprocess.js';
import { WorkerClient } from './worker-client.js';
import { startOwnData } from './own-data.js';
import { keepOffline } from './service-worker-setup.js';
import { createPageState, emptyHistory } from './page-state.js';
import { TRAIN_FLOPS_PER_PARAM } from './status.js';
import { wireConfigForm } from './settings-form.js';
import { wireFiles } from './model-files.js';
import { createPictures } from './pictures.js';
import { createConfigFlow } from './settings-changes.js';
import { createRenderer } from './render.js';
import { createSavedRun } from './saved-run.js';
import { createStarter } from './starter.js';
import { wireStartHere } from './start-here.js';
import { exposeSettled } from './settled.js';
import { rememberedThreads, rememberThreads, firstVisit } from './remembered.js';

const $ = (id) => document.getElementById(id);
// While training: how often the pictures follow the weights (ms).
const EVERY = { recon: 600, latent: 3000, generate: 2500 };

// ---------------------------------------------------------------- the parts
// Each part is built from what it uses, after the parts it needs. The form
// and the settings flow need each other: the form reaches the flow through
// its onApply callback. init and expectReady (below) are called only once
// every part exists.
const app = createPageState(state.defaults());
const client = new WorkerClient(new URL('../worker/worker.js', import.meta.url), { onEvent, onCrash: crashed });
const notice = notices.create($('notices'));
const pictures = createPictures({ app, client, $ });
const renderer = createRenderer({ app, $ }), render = renderer.render;
const form = wireConfigForm($('config'), {
  onApply: (next, changed) => config.applyConfig(next, { changed }),
  onInvalid: (errors) => notice.show('form', { title: 'This change was not applied: fix the highlighted setting first.', items: errors }, 'warn'),
  onValid: () => notice.clear('form'),
});
const config = createConfigFlow({ app, client, notice, $, form, pictures, render, init, expectReady });
const savedRun = createSavedRun({ app, client, notice, $, renderPage: render, init, takeImported: config.onImported });
const starter = createStarter({ app, client, takeImported: config.onImported, play });
wireStartHere({ list: $('start-here-steps'), app, applyConfig: config.applyConfig, play: () => app.info && !app.awaitingReady && (play(), render()) });
const pad = drawpadView.create($('draw-pad'), { onChange: drawingChanged });
exposeSettled({ app, client, pad });
const ownLink = startOwnData({ client, step: () => app.progress?.step ?? 0 });

// ---------------------------------------------------------------- the worker's events
function crashed(message) {
  // A trap while opening a file (loading it, or its first evaluation): restart from the model kept before.
  const restore = app.importPending || app.awaitingImport ? app.lastGood : null;
  // A crash while a saved run was being opened: not that snapshot again.
  const fromSnapshot = !restore && !savedRun.restoring();
  app.lastGood = null;
  app.importPending = false;
  app.awaitingImport = false;
  const now = Date.now();
  app.crashes = app.crashes.filter((t) => now - t < 60_000).concat(now);
  app.running = app.workerRunning = false;
  client.terminate();
  if (app.crashes.length > 3) {
    app.problem = { kind: 'crash', message: 'The training worker keeps crashing; reload the page to try again.' };
    notice.show('crash', `The training worker crashed (${message}) and was not restarted: it crashed ${app.crashes.length} times in a minute.`, 'bad');
    render();
    return;
  }
  app.restoreAfterReady = restore;
  savedRun.abandon();
  startWorker();
  const fromSeed = () => {
    notice.show('crash', `The training worker crashed (${message}). It was restarted and the model rebuilt from its seed.`, 'bad');
    init();
  };
  if (restore) {
    const name = app.importName ?? 'that file';
    notice.show('crash', `Opening “${name}” crashed the training worker (${message}). It was restarted with the model you had before; its loss chart starts afresh.`, 'bad');
    return init();
  }
  if (!fromSnapshot) return fromSeed();
  // A crash while training: on from the newest snapshot of these settings, if there is one.
  expectReady();
  render();
  savedRun
    .findAfterCrash(message)
    .catch(() => false)
    .then((found) => (found ? init() : fromSeed()));
}

/** A new worker, asked to send snapshots for autosave (saved-run.js). */
function startWorker() {
  client.start();
  client.send({ type: 'autosave', on: true });
  const threads = rememberedThreads();
  if (threads) client.send({ type: 'threads', n: threads });
}

$('threads').addEventListener('change', (e) => {
  const n = Number(e.target.value);
  rememberThreads(n);
  client.send({ type: 'threads', n });
});

/** Forgets everything about the current model until the worker's next `ready`. */
function expectReady({ resume = false } = {}) {
  client.invalidate();
  starter.cancel();
  app.awaitingReady = true;
  app.resumeAfterReady = resume;
  app.running = false;
  app.problem = null;
  app.evaluating = null;
  resetHistory();
  pictures.clearModelViews();
}

function init({ resume = false } = {}) {
  expectReady({ resume });
  app.info = null;
  client.send(state.toInit(app.config));
  render();
}

function onEvent(m) {
  switch (m.type) {
    case 'load':
      app.load = m;
      break;
    case 'threads':
      app.threads = m;
      break;
    case 'ready':
      keepOffline(m.build);
      app.load = null;
      app.info = m;
      app.threads = m.threads;
      app.awaitingReady = false;
      app.running = app.workerRunning = false;
      app.problem = null;
      resetHistory();
      // A saved run replaces this model at once; its `imported` follows.
      if (savedRun.onReady()) break;
      if (starter.onReady()) break;
      if (app.restoreAfterReady) {
        // The model the person had before a file crashed the worker (see `crashed`).
        const bytes = app.restoreAfterReady;
        app.restoreAfterReady = null;
        app.restoring = true;
        client.send({ type: 'import', bytes }, [bytes]);
      }
      if (app.resumeAfterReady) {
        play({ byLink: app.resumeAfterReady === 'link' });
        app.resumeAfterReady = false;
      }
      pictures.refresh(['recon', 'latent', 'generate']);
      break;
    case 'progress':
      onProgress(m);
      break;
    case 'evaluating':
      app.evaluating = m.total > 0 && m.done < m.total ? m : null;
      break;
    case 'test':
      app.evaluating = null;
      // The opened model has been evaluated: it is the good one now.
      if (app.importPending) (app.importPending = false), (app.lastGood = null);
      onTest(m);
      break;
    case 'state':
      app.running = app.workerRunning = m.running;
      if (!m.running) pictures.refresh(['recon', 'latent', 'generate']);
      break;
    case 'diverged':
      app.running = app.workerRunning = false;
      app.problem = { kind: 'diverged', message: m.message };
      break;
    case 'error':
      if (m.where === 'import' && starter.onOpened(m)) break;
      onError(m);
      break;
    case 'exported':
      files.download(m.bytes, m.filename || 'model.safetensors');
      return;
    case 'imported':
      if (savedRun.restoring()) return savedRun.onImported(m);
      savedRun.modelReplaced();
      if (starter.onOpened(m)) break;
      config.onImported(m);
      return;
    case 'snapshot':
      savedRun.onSnapshot(m);
      return;
    default:
      return;
  }
  render();
}

function onProgress(m) {
  const h = app.history;
  // Not app.running: a progress posted before a pause arrives after the click
  // that paused; `state` says when the worker has stopped.
  app.progress = m;
  if (m.train && Number.isFinite(m.train.loss)) {
    h.train.push([m.step, m.train.loss]);
    if (h.train.length > 3000) h.train = h.train.filter((_, i) => i % 2 === 0);
  }
  if (m.samplesPerSec > 0 && app.info?.params) app.flopsPerSec = TRAIN_FLOPS_PER_PARAM * app.info.params * m.samplesPerSec;
  const now = performance.now();
  pictures.refresh(Object.keys(EVERY).filter((k) => !m.running || now - app.last[k] > EVERY[k]));
}

function onTest(m) {
  const h = app.history;
  // A restored run's history may already hold this step's figures.
  const add = (points, v) => (points.at(-1)?.[0] === m.step ? (points[points.length - 1] = [m.step, v]) : points.push([m.step, v]));
  add(h.test, m.loss);
  // A figure this model has no value for (NaN: an unlabelled AAE's own part) is left out.
  for (const { name } of state.modelFacts(app.config.model).terms) if (Number.isFinite(m[name])) add((h.terms[name] ??= []), m[name]);
  app.lastTest = m;
  if (m.klPerDim) renderer.klPerDim(Array.from(m.klPerDim));
}

function onError(m) {
  const text = String(m.message ?? 'unknown error');
  switch (m.where) {
    case 'data':
      app.load = null;
      app.problem = { kind: 'data', message: text };
      break;
    case 'init':
      app.problem = { kind: 'init', message: text };
      app.awaitingReady = false;
      notice.show('init', `The model could not be built: ${text}`, 'bad');
      break;
    case 'import':
      if (savedRun.restoring()) {
        savedRun.onImportFailed(text);
        break;
      }
      app.lastGood = null;
      app.awaitingImport = false;
      if (app.restoring) {
        app.restoring = false;
        notice.show('crash', `The model you had before could not be restored (${text}); this is a new one built from the seed.`, 'bad');
        break;
      }
      notice.show('import', `Could not open “${app.importName ?? 'that file'}”. ${text.replace(/\.$/, '')}. The current model is unchanged.`, 'bad');
      break;
    case 'train':
      app.running = app.workerRunning = false;
      app.problem = { kind: 'train', message: text };
      break;
    default:
      notice.show('request', `The worker could not answer a request: ${text}`);
  }
}

function resetHistory() {
  app.started = false;
  app.history = emptyHistory();
  app.lastTest = null;
  app.lastTrain = null;
  app.progress = null;
  renderer.klPerDim(null);
}

// ---------------------------------------------------------------- training controls
function play({ byLink = false } = {}) {
  app.autoplayed = byLink;
  app.running = true;
  app.problem = null;
  app.started = true;
  client.tell({ type: 'play' });
  $('first-hint').hidden = byLink !== 'first';
}

$('train-toggle').addEventListener('click', () => {
  if (!app.info) return;
  if (app.running) {
    app.running = false;
    app.autoplayed = false;
    client.tell({ type: 'pause' });
  } else {
    play();
  }
  render();
});
$('step').addEventListener('click', () => {
  if (!app.info) return;
  app.problem = null;
  app.started = true;
  client.tell({ type: 'step', n: 1 });
});
$('reset').addEventListener('click', () => config.reset(() => savedRun.forget()));
$('load-retry').addEventListener('click', () => init());
$('resample').addEventListener('click', () => {
  app.sampleSeed = crypto.getRandomValues(new Uint32Array(1))[0];
  pictures.refresh(['generate']);
});

// ---------------------------------------------------------------- drawing
function drawingChanged() {
  const { data, width, height } = pad.ink();
  setInput(pad.isBlank() ? null : toMnist(data.data, width, height, ALPHA));
}

/** The input the views follow: a drawing, a picked test image, or nothing. */
function setInput(pixels) {
  app.input = pixels;
  $('pad-hint').hidden = Boolean(pixels) || !pad.isBlank();
  if (!app.input) {
    pictures.clearDrawingViews();
  } else {
    pictures.showInput(app.input);
    pictures.requestRecon();
  }
  renderer.renderInterp();
}

$('pad-clear').addEventListener('click', () => pad.clear());
$('pad-undo').addEventListener('click', () => pad.undo());
$('pad-eraser').addEventListener('click', (e) => {
  const on = e.currentTarget.getAttribute('aria-pressed') !== 'true';
  e.currentTarget.setAttribute('aria-pressed', String(on));
  pad.setEraser(on);
});
$('draw-label').addEventListener('change', () => {
  app.labelChosen = 'person';
  $('draw-label-why').textContent = 'Chosen by you.';
  pictures.refresh(['recon', 'generate']);
});
// The keyboard's way to give the model an input: a test image by number.
$('test-pick').addEventListener('input', () => {
  const el = $('test-pick');
  const images = app.testImages?.dataset === app.config.dataset ? app.testImages : null;
  const i = Number(el.value) - 1;
  if (!images || !Number.isInteger(i) || i < 0 || i >= images.pixels.length / images.size) return;
  pad.clear({ silent: true });
  const raw = images.pixels.subarray(i * images.size, (i + 1) * images.size);
  const label = app.latent?.labels?.[i];
  if (state.modelFacts(app.config.model).conditional && label !== undefined) {
    $('draw-label').value = String(label);
    $('draw-label-why').textContent = 'The test image’s own label.';
    app.labelChosen = 'test image';
  }
  setInput(Float32Array.from(raw, (v) => v / 255));
  $('pad-hint').hidden = false;
});
$('save-a').addEventListener('click', () => {
  if (!app.input) return notice.show('interp', `Draw something first, then keep it as A.`);
  app.inputA = app.input.slice();
  pictures.keepA(app.inputA);
  $('save-a').textContent = 'Keep again as A';
  // The pad empties now, not a frame later: the Interpolate button must not offer A → A.
  pad.clear({ silent: true });
  setInput(null);
});
$('interpolate').addEventListener('click', () => {
  app.interpolating = true;
  pictures.requestInterpolation();
});

// ---------------------------------------------------------------- share, export, import
$('share-copy').addEventListener('click', async () => {
  const input = $('share-link');
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    $('share-copy').textContent = 'Copied';
  } catch {
    $('share-copy').textContent = 'Press Ctrl+C';
  }
  setTimeout(() => ($('share-copy').textContent = 'Copy'), 1500);
});

const files = wireFiles({
  exportButton: $('model-export'),
  importInput: $('model-import'),
  dropOverlay: $('drop'),
  canImport: () => Boolean(app.info),
  maxBytes: () => app.info?.maxFileBytes ?? 0,
  onExport: () => client.send({ type: 'export' }),
  onImport: async (name, bytes) => {
    app.importName = name;
    // The model as it is, in case opening the file traps the core (see `crashed`).
    const saved = await client.request({ type: 'export' }).catch(() => null);
    app.lastGood = saved?.bytes ?? null;
    app.awaitingImport = true;
    client.send({ type: 'import', bytes }, [bytes]);
  },
  notice: (text, kind) => notice.show('import', text, kind),
});

// A link opened on the open page (or the back button) applies its settings.
window.addEventListener('hashchange', () => {
  const { state: s, problems } = state.parseHash(location.hash);
  config.showHashProblems(problems);
  if (state.toHash(s) !== state.toHash(app.config)) {
    form.write(s);
    config.applyConfig(s, { fromLink: true });
  }
});

// ---------------------------------------------------------------- start
async function start() {
  const { state: s, problems, flags, settings } = state.parseHash(location.hash);
  app.config = s;
  // A link that carries settings starts training by itself, unless it says autoplay=0.
  app.autoplay = settings > 0 && flags.autoplay !== '0';
  form.write(s);
  config.showHashProblems(problems);
  // A link with bad fields is rewritten to what actually runs.
  if (location.hash) history.replaceState(null, '', state.toHash(s) + (flags.autoplay === '0' ? '&autoplay=0' : ''));
  pictures.clearDrawingViews();
  pictures.clearModelViews();
  // On a phone the settings start folded, so the views come first.
  if (matchMedia('(max-width: 520px)').matches) $('settings').open = false;
  // The worker loads its core while the saved run is looked up.
  startWorker();
  savedRun.render();
  render(); // the link and the form's settings show at once, before the lookup answers
  // The run saved with these settings (any, for an address without settings) comes back paused; a link's own images are kept and told to the worker first.
  const [saved] = await Promise.all([savedRun.find(settings > 0 ? state.toHash(s) : null), ownLink]);
  if (saved) {
    app.config = saved.config;
    app.autoplay = false;
    form.write(saved.config);
    history.replaceState(null, '', state.toHash(saved.config));
  }
  config.fillLabels();
  // A first visit to the bare address trains the starter model at once (starter.js).
  const first = firstVisit() && !saved;
  if (first) $('first-hint').hidden = false;
  init({ resume: app.autoplay ? 'link' : false });
  if (first && settings === 0 && flags.autoplay !== '0') starter.begin();
}
start();
