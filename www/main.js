// Wires the views to the worker. Owns no math and no model: the worker
// (worker.js, protocol at its top) trains and answers requests through
// worker-client.js; the views draw what they are given; state.js and the
// settings table turn the configuration into a URL hash and a form; the
// page's state is declared in page-state.js.

import * as state from './state.js';
import * as chartView from './views/chart.js';
import * as barsView from './views/bars.js';
import * as gridView from './views/grid.js';
import * as drawpadView from './views/drawpad.js';
import * as latentView from './views/latent-plot.js';
import * as notices from './notices.js';
import { ALPHA, toMnist } from './mnist-preprocess.js';
import { WorkerClient } from './worker-client.js';
import { createPageState, emptyHistory } from './page-state.js';
import { datasetOf } from './datasets.js';
import { statusText, loadFraction, fmtInt, estimateSeconds, SLOW_BATCH_SECONDS, TRAIN_FLOPS_PER_PARAM } from './status.js';
import { wireConfigForm } from './config-wiring.js';
import { wireFiles } from './model-files.js';

const $ = (id) => document.getElementById(id);

const MODEL_CAPTIONS = {
  ae: 'Encoder squeezes x into a code z, decoder rebuilds x̂; the loss is reconstruction only.',
  dae: 'Denoising: corrupt x, rebuild the clean x. It must learn what the images look like, not copy pixels (Vincent et al. 2008).',
  cae: 'Contractive: adds λ‖∂z/∂x‖², so the code barely moves when x wiggles off the data (Rifai et al. 2011).',
  vae: 'Variational: q(z|x) = N(μ, σ²). Loss = reconstruction + KL to the prior N(0, I): the negative ELBO (Kingma & Welling 2014).',
  cvae: 'Conditional VAE: encoder and decoder also get the label, so z need only hold the style (Sohn et al. 2015).',
  aae: 'Adversarial: a discriminator tells prior samples from codes, and the encoder learns to fool it, so the codes take the prior’s shape (Makhzani et al. 2015).',
};
const PRIOR_CLOUD = 1500; // prior samples drawn in grey under an AAE's codes
const LATENT_LIMIT = 2000; // test images in the scatter plot
const MANIFOLD_N = 15;
const SAMPLES = 16;
const INTERP_STEPS = 10;
const NEIGHBOURS = 8;
// While training: how often the pictures follow the weights (ms).
const EVERY = { recon: 600, latent: 3000, generate: 2500 };
const FIRST_VISIT_KEY = 'ae-playground:visited';

// ---------------------------------------------------------------- the views
const chart = chartView.create($('loss-chart'));
const klBars = barsView.create($('kl-bars'));
const inputView = gridView.create($('input28'));
const reconView = gridView.create($('reconstruction'));
const corruptedView = gridView.create($('corrupted'));
const neighboursView = gridView.create($('neighbours'), { cols: NEIGHBOURS, gap: 2 });
const denoisedView = gridView.create($('denoised'));
const manifoldView = gridView.create($('generation-grid'), { cols: MANIFOLD_N, rows: MANIFOLD_N });
const samplesView = gridView.create($('samples'), { cols: 8, rows: SAMPLES / 8, gap: 2 });
const classesView = gridView.create($('classes'), { cols: 10, gap: 2 });
const interpView = gridView.create($('interp-strip'), { cols: INTERP_STEPS, gap: 2 });
const pickedView = gridView.create($('picked-img'), { placeholder: 'Click the plot' });
const hoverView = gridView.create($('hover-img'));
const thumbA = gridView.create($('a-thumb'), { placeholder: 'No A yet' });
/** What each empty view says, in the data set's words. */
function placeholders() {
  const { item } = datasetOf(app.config.dataset);
  return new Map([
    [inputView, `Draw a ${item} on the pad`],
    [reconView, 'Draw to see it rebuilt'],
    [corruptedView, 'Draw to see it corrupted'],
    [denoisedView, 'Draw to see it denoised'],
    [neighboursView, `Draw a ${item} to see its nearest test images`],
    [classesView, `Draw a ${item} to see its style in every class`],
    [interpView, `Keep a drawing as A, draw another ${item}, then Interpolate`],
    [manifoldView, 'The decoded grid appears once the model is built'],
    [samplesView, 'Samples appear once the model is built'],
  ]);
}
/** Empties views, each with its words. */
function empty(...views) {
  const words = placeholders();
  for (const v of views) v.update({ pixels: null, placeholder: words.get(v) });
}
const pad = drawpadView.create($('draw-pad'), { onChange: drawingChanged });
const plot = latentView.create($('latent-plot'), { legend: $('legend'), onHover: hovered, onPick: picked });
const notice = notices.create($('notices'));

// ---------------------------------------------------------------- state and worker
const app = createPageState(state.defaults());
const client = new WorkerClient(new URL('./worker.js', import.meta.url), { onEvent, onCrash: crashed });
const form = wireConfigForm($('config'), {
  onApply: (next, changed) => applyConfig(next, { changed }),
  onInvalid: (errors) =>
    notice.show('form', { title: 'This change was not applied: fix the highlighted setting first.', items: errors }, 'warn'),
  onValid: () => notice.clear('form'),
});

function crashed(message) {
  const now = Date.now();
  app.crashes = app.crashes.filter((t) => now - t < 60_000).concat(now);
  app.running = false;
  client.terminate();
  if (app.crashes.length > 3) {
    app.problem = { kind: 'crash', message: 'The training worker keeps crashing; reload the page to try again.' };
    notice.show('crash', `The training worker crashed (${message}) and was not restarted: it crashed ${app.crashes.length} times in a minute.`, 'bad');
    render();
    return;
  }
  notice.show('crash', `The training worker crashed (${message}). It was restarted and the model rebuilt from its seed.`, 'bad');
  client.start();
  init();
}

/** Forgets everything about the current model until the worker's next `ready`. */
function expectReady({ resume = false } = {}) {
  client.invalidate();
  app.awaitingReady = true;
  app.resumeAfterReady = resume;
  app.running = false;
  app.problem = null;
  app.evaluating = null;
  resetHistory();
  clearModelViews();
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
      render();
      break;
    case 'ready':
      app.load = null;
      app.info = m;
      app.awaitingReady = false;
      app.running = false;
      app.problem = null;
      resetHistory();
      if (app.resumeAfterReady) {
        play({ byLink: app.resumeAfterReady === 'link' });
        app.resumeAfterReady = false;
      }
      refresh(['recon', 'latent', 'generate']);
      render();
      break;
    case 'progress':
      onProgress(m);
      break;
    case 'evaluating':
      app.evaluating = m.total > 0 && m.done < m.total ? m : null;
      render();
      break;
    case 'test':
      app.evaluating = null;
      onTest(m);
      break;
    case 'state':
      app.running = m.running;
      if (!m.running) refresh(['recon', 'latent', 'generate']);
      render();
      break;
    case 'diverged':
      app.running = false;
      app.problem = { kind: 'diverged', message: m.message };
      render();
      break;
    case 'error':
      onError(m);
      break;
    case 'exported':
      files.download(m.bytes, m.filename || 'model.safetensors');
      break;
    case 'imported':
      onImported(m);
      break;
  }
}

function onProgress(m) {
  const h = app.history;
  app.running = m.running;
  app.progress = m;
  if (m.train && Number.isFinite(m.train.loss)) {
    h.train.push([m.step, m.train.loss]);
    if (h.train.length > 3000) h.train = h.train.filter((_, i) => i % 2 === 0);
    if (isAdversarial()) {
      h.discAccuracy.push([m.step, m.train.disc_accuracy]);
      if (h.discAccuracy.length > 3000) h.discAccuracy = h.discAccuracy.filter((_, i) => i % 2 === 0);
    }
  }
  if (m.samplesPerSec > 0 && app.info?.params) app.flopsPerSec = TRAIN_FLOPS_PER_PARAM * app.info.params * m.samplesPerSec;
  const now = performance.now();
  const due = Object.keys(EVERY).filter((k) => !m.running || now - app.last[k] > EVERY[k]);
  refresh(due);
  render();
}

function onTest(m) {
  const h = app.history;
  h.test.push([m.step, m.loss]);
  h.recon.push([m.step, m.recon]);
  h.kl.push([m.step, m.kl]);
  h.penalty.push([m.step, m.penalty]);
  app.lastTest = m;
  if (m.klPerDim) klBars.update({ values: Array.from(m.klPerDim), unit: 'nats' });
  render();
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
      notice.show('import', `Could not open “${app.importName ?? 'that file'}”. ${text.replace(/\.$/, '')}. The current model is unchanged.`, 'bad');
      break;
    case 'train':
      app.running = false;
      app.problem = { kind: 'train', message: text };
      break;
    default:
      notice.show('request', `The worker could not answer a request: ${text}`);
  }
  render();
}

// ---------------------------------------------------------------- training controls
function play({ byLink = false } = {}) {
  app.autoplayed = byLink;
  app.running = true;
  app.problem = null;
  app.started = true;
  client.send({ type: 'play' });
  $('first-hint').hidden = true;
}

$('train-toggle').addEventListener('click', () => {
  if (!app.info) return;
  if (app.running) {
    app.running = false;
    app.autoplayed = false;
    client.send({ type: 'pause' });
  } else {
    play();
  }
  render();
});
$('step').addEventListener('click', () => {
  if (!app.info) return;
  app.problem = null;
  app.started = true;
  client.send({ type: 'step', n: 1 });
});
$('reset').addEventListener('click', () => {
  expectReady();
  client.send({ type: 'reset' });
  render();
});
$('load-retry').addEventListener('click', () => init());
$('resample').addEventListener('click', () => {
  app.sampleSeed = crypto.getRandomValues(new Uint32Array(1))[0];
  refresh(['generate']);
});

// ---------------------------------------------------------------- requests
const isVariational = () => app.config.model === 'vae' || app.config.model === 'cvae';
const isConditional = () => app.config.model === 'cvae';
const isAdversarial = () => app.config.model === 'aae';
/** Models whose samples come from a prior: VAEs (N(0, I)) and the AAE (its own). */
const hasPrior = () => isVariational() || isAdversarial();
/** The AAE with labels: its samples and grid come one class per part of the prior. */
const labelledPrior = () => isAdversarial() && Boolean(app.config.aae_labels);
const drawLabel = () => Number($('draw-label').value) || 0;
const labelFor = () => (isConditional() ? drawLabel() : undefined);
const ready = () => !app.awaitingReady && Boolean(app.info);

/** Asks the worker for fresh pictures of the given kinds. */
function refresh(kinds) {
  if (!ready()) return;
  const now = performance.now();
  for (const kind of kinds) {
    app.last[kind] = now;
    if (kind === 'recon') requestRecon();
    else if (kind === 'latent') requestLatent();
    else if (kind === 'generate') requestGenerate();
  }
}

function requestLatent() {
  client.slot(
    'latent',
    () => ({ type: 'latent', limit: LATENT_LIMIT, withImages: app.testImages?.dataset !== app.config.dataset }),
    (m) => {
      onLatent(m);
      // The prior's cloud goes through the same projection as the codes just drawn.
      if (isAdversarial()) client.slot('prior', () => ({ type: 'prior', n: PRIOR_CLOUD, seed: app.sampleSeed }), (p) => plot.update({ prior: p.xy }));
      else plot.update({ prior: null });
    },
  );
}

function requestRecon() {
  if (!app.input) return;
  if (isConditional() && !app.labelChosen) return requestLabel();
  client.slot(
    'recon',
    () => app.input && { type: 'reconstruct', pixels: app.input.slice(), label: labelFor() },
    (m) => {
      if (!app.input) return;
      reconView.update({ pixels: m.pixels, n: 1 });
      const xy = m.xy, std = m.xyStd;
      plot.update({ mark: xy ? { x: xy[0], y: xy[1], sx: std?.[0], sy: std?.[1] } : null });
    },
  );
  if (isConditional()) {
    client.slot('classes', () => app.input && { type: 'classes', pixels: app.input.slice(), label: drawLabel() }, (m) => app.input && classesView.update(m));
  }
  if (app.config.model === 'dae') requestDenoised();
  requestNeighbours();
  if (app.interpolating && app.inputA) requestInterpolation();
}

/**
 * A CVAE needs the drawing's class. Until the person picks one, the class a
 * classifier (trained by the worker in the background) reads is proposed,
 * and said to be a proposal; then the pictures follow.
 */
function requestLabel() {
  client.slot(
    'classify',
    () => app.input && { type: 'classify', pixels: app.input.slice() },
    (m) => {
      if (!app.input || app.labelChosen) return;
      let best = 0;
      for (let k = 1; k < m.probs.length; k++) if (m.probs[k] > m.probs[best]) best = k;
      $('draw-label').value = String(best);
      const names = datasetOf(app.config.dataset).classes;
      const learning = m.progress < 1 ? ` (the classifier is still learning: ${Math.round(100 * m.progress)}%)` : '';
      $('draw-label-why').textContent = `Proposed by a classifier: it reads “${names[best]}” with ${Math.round(100 * m.probs[best])}% confidence${learning}. Pick another to override.`;
      app.labelChosen = 'classifier';
      requestRecon();
      app.labelChosen = false;
    },
    () => {
      // No classifier (an older worker, or not a CVAE any more): go on with the label shown.
      app.labelChosen = 'fallback';
      requestRecon();
      app.labelChosen = false;
    },
  );
}

/** Retrieval, the lecture's first application: test images near the drawing in code space. */
function requestNeighbours() {
  client.slot(
    'neighbours',
    () => app.input && { type: 'neighbours', pixels: app.input.slice(), k: NEIGHBOURS, label: labelFor() },
    (m) => {
      if (!app.input) return;
      neighboursView.update({ pixels: m.pixels, n: m.n ?? m.labels.length });
      const names = datasetOf(app.config.dataset).classes;
      const cvae = isConditional() ? ' A CVAE’s code holds only the style (the label goes in apart), so neighbours share the slant and stroke, not the class.' : '';
      $('neighbours-text').textContent = `Retrieval by code, nearest first: ${Array.from(m.labels, (l) => names[l]).join(', ')}.${cvae}`;
    },
  );
}

/** The DAE's own task on the drawing: corrupt it as in training (by the seeded core), then reconstruct. */
function requestDenoised() {
  client.slot(
    'denoise',
    () => app.input && { type: 'corrupt', pixels: app.input.slice(), seed: app.config.seed },
    (c) => {
      if (!app.input) return;
      // Gaussian noise leaves [0, 1]; the picture clamps, the model sees it all.
      corruptedView.update({ pixels: c.pixels.map((v) => Math.min(1, Math.max(0, v))), n: 1 });
      client.slot('denoised', () => ({ type: 'reconstruct', pixels: c.pixels }), (m) => app.input && denoisedView.update({ pixels: m.pixels, n: 1 }));
    },
  );
}

function requestInterpolation() {
  if (!app.inputA || !app.input) return;
  client.slot(
    'interp',
    () => app.inputA && app.input && { type: 'interpolate', a: app.inputA.slice(), b: app.input.slice(), steps: INTERP_STEPS, label: labelFor() },
    (m) => interpView.update({ pixels: m.pixels, n: m.n }),
  );
}

function requestGenerate() {
  if (app.config.latent === 2) {
    // A CVAE's grid is drawn for the class chosen for the drawing.
    client.slot('manifold', () => ({ type: 'manifold', n: MANIFOLD_N, label: labelFor() }), (m) => manifoldView.update({ pixels: m.pixels, n: m.n, cols: MANIFOLD_N }));
  }
  if (!hasPrior()) return;
  // A fixed seed, so the samples change only as the decoder learns; the core draws the noise.
  const labels = isConditional() || labelledPrior() ? Uint8Array.from({ length: SAMPLES }, (_, i) => i % 10) : undefined;
  client.slot('samples', () => ({ type: 'sample', n: SAMPLES, seed: app.sampleSeed, labels }), (m) => samplesView.update({ pixels: m.pixels, n: m.n }));
}

// ---------------------------------------------------------------- latent space
function onLatent(m) {
  app.latent = m;
  if (m.images) app.testImages = { dataset: app.config.dataset, pixels: m.images, size: m.images.length / m.labels.length };
  const names = datasetOf(app.config.dataset).classes;
  const axes = m.projection === 'pca' ? ['PC 1', 'PC 2'] : m.dims === 1 ? ['z', '–'] : ['z₁', 'z₂'];
  plot.update({ xy: m.xy, labels: m.labels, names, axes, label: `Scatter plot of ${fmtInt(m.labels.length)} test codes coloured by class` });
  const n = fmtInt(m.labels.length);
  const explained = m.pca?.explained ? ` (${Math.round(100 * m.pca.explained)}% of the variance)` : '';
  $('latent-title').textContent =
    m.projection === 'pca' ? `${n} test images · PCA projection of ${m.dims}-D codes${explained}` : `${n} test images · ${m.dims}-D codes`;
}

let hoverAsked = null;
function hovered(p) {
  const box = $('hover');
  if (!p) {
    box.hidden = true;
    hoverAsked = null;
    return;
  }
  const names = datasetOf(app.config.dataset).classes;
  const images = app.testImages?.dataset === app.config.dataset ? app.testImages : null;
  if (hoverAsked !== p.index && images && p.index < images.pixels.length / images.size) {
    // The point's own test image: what was encoded to put the dot there.
    hoverAsked = p.index;
    const raw = images.pixels.subarray(p.index * images.size, (p.index + 1) * images.size);
    $('hover-text').textContent = `${names[p.label]} (test image ${p.index + 1})`;
    hoverView.update({ pixels: Float32Array.from(raw, (v) => v / 255), n: 1, label: $('hover-text').textContent });
  } else if (hoverAsked !== p.index) {
    // Images not here yet: show what the decoder makes of the code instead.
    hoverAsked = p.index;
    const labels = isConditional() ? new Uint8Array([p.label]) : undefined;
    $('hover-text').textContent = `${names[p.label]}, decoded at its code`;
    client.slot('hover', () => ({ type: 'decode', xy: new Float32Array([p.x, p.y]), labels }), (m) => hoverView.update({ pixels: m.pixels, n: 1, label: $('hover-text').textContent }));
  }
  const wrap = box.parentElement.getBoundingClientRect();
  const x = p.clientX - wrap.left, y = p.clientY - wrap.top;
  box.style.left = `${Math.min(x + 12, wrap.width - 160)}px`;
  box.style.top = `${Math.max(0, y - 70)}px`;
  box.hidden = false;
}

function picked(p) {
  if (!ready()) return;
  // A CVAE decodes a clicked point with that point's own label (a click on
  // empty space keeps the drawing's label).
  const own = p.index >= 0 ? app.latent?.labels?.[p.index] : undefined;
  const label = isConditional() ? (own ?? drawLabel()) : undefined;
  app.picked = { x: p.x, y: p.y, label };
  const names = datasetOf(app.config.dataset).classes;
  client.slot(
    'pick',
    () => ({ type: 'decode', xy: new Float32Array([p.x, p.y]), labels: label === undefined ? undefined : new Uint8Array([label]) }),
    (m) => {
      if (!app.picked) return;
      pickedView.update({ pixels: m.pixels, n: 1 });
      const pca = app.latent?.projection === 'pca' ? ', mapped back through the PCA' : '';
      const as = label === undefined ? '' : ` as “${names[label]}”`;
      $('picked-text').textContent = `Decoded at (${p.x.toFixed(2)}, ${p.y.toFixed(2)})${pca}${as}.`;
    },
  );
  plot.update({ picked: { x: p.x, y: p.y } });
}

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
    clearDrawingViews();
  } else {
    inputView.update({ pixels: app.input, n: 1 });
    requestRecon();
  }
  renderInterp();
}

/** Views that show the drawing or its code: emptied, and their late replies dropped. */
function clearDrawingViews() {
  app.labelChosen = false;
  for (const kind of ['classify', 'recon', 'classes', 'neighbours', 'denoise', 'denoised', 'interp']) client.forget(kind);
  empty(inputView, reconView, corruptedView, denoisedView, neighboursView, classesView, interpView);
  $('neighbours-text').textContent = `Retrieval by code: draw a ${datasetOf(app.config.dataset).item} to see the plotted test images whose codes lie nearest.`;
  plot.update({ mark: null, prior: null });
  app.interpolating = false;
}

/** Views that show the model's output: emptied on reset, rebuild or import. */
function clearModelViews() {
  clearPicked();
  empty(reconView, corruptedView, denoisedView, neighboursView, classesView, interpView, samplesView, manifoldView);
  $('neighbours-text').textContent = `Retrieval by code: draw a ${datasetOf(app.config.dataset).item} to see the plotted test images whose codes lie nearest.`;
  plot.update({ mark: null, prior: null });
  app.interpolating = false;
}

function clearPicked() {
  app.picked = null;
  pickedView.update(null);
  $('picked-text').textContent = 'Click anywhere in the plot to decode that point.';
  plot.update({ picked: null });
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
  refresh(['recon', 'generate']);
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
  if (isConditional() && label !== undefined) {
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
  thumbA.update({ pixels: app.inputA, n: 1 });
  $('a-thumb').setAttribute('aria-label', 'Drawing A, kept for interpolation');
  $('save-a').textContent = 'Keep again as A';
  // The pad empties now, not a frame later: the Interpolate button must not offer A → A.
  pad.clear({ silent: true });
  setInput(null);
});
$('interpolate').addEventListener('click', () => {
  app.interpolating = true;
  requestInterpolation();
});

function renderInterp() {
  const can = Boolean(app.inputA && app.input);
  $('interpolate').disabled = !can;
  const item = datasetOf(app.config.dataset).item;
  $('interp-why').textContent = !app.inputA
    ? `Keep a drawing as A, then draw another ${item}: Interpolate walks from A to it.`
    : !app.input
      ? `A is kept. Now draw a second ${item} to interpolate to.`
      : 'Ready: Interpolate decodes the straight line from A’s code to the drawing’s.';
}

// ---------------------------------------------------------------- configuration
/**
 * Applies a new configuration. A change that only moves the learning rate
 * keeps the model (the worker's optimiser takes it); any other change
 * rebuilds, and if the model has trained, the page asks first.
 */
function applyConfig(next, { changed = [], confirmed = false, fromLink = false } = {}) {
  const onlyLr = changed.length > 0 && changed.every((k) => k === 'lr') && ready();
  const trained = (app.progress?.step ?? 0) > 0;
  if (!onlyLr && trained && !confirmed && !fromLink) {
    const steps = fmtInt(app.progress.step);
    notice.show(
      'rebuild',
      `Changing ${changed.join(', ') || 'the settings'} builds a new model: the ${steps} batches trained so far will be discarded (download the model first to keep it).`,
      'warn',
      [
        { label: 'Rebuild', run: () => applyConfig(next, { changed, confirmed: true }) },
        { label: 'Keep the trained model', run: () => form.write(app.config) },
      ],
    );
    return;
  }
  notice.clear('rebuild');
  if (!onlyLr && !confirmed && !fromLink && ready()) {
    // Ask the core how big the model would be before building it.
    client.request({ type: 'count_params', model: state.toInit(next).model }).then(
      (r) => r && !warnedSlow(next, changed, r.params) && applyConfig(next, { changed, confirmed: true }),
      () => applyConfig(next, { changed, confirmed: true }),
    );
    return;
  }
  const datasetChanged = next.dataset !== app.config.dataset;
  app.config = next;
  history.replaceState(null, '', state.toHash(next));
  form.write(next);
  if (datasetChanged) fillLabels();
  if (onlyLr) {
    client.send({ type: 'set_lr', lr: next.lr });
    notice.show('lr', `Learning rate ${next.lr} applies from the next batch; the model keeps its training.`, 'info');
    render();
    return;
  }
  init({ resume: app.running });
}

/**
 * Before building a model this machine would train very slowly, say how slow
 * (estimated from its parameter count and the speed measured so far) and ask.
 * Returns true when it warned (and the build waits for an answer).
 */
function warnedSlow(next, changed, params) {
  const t = estimateSeconds(params, next.batch, app.flopsPerSec);
  if (t.batch < SLOW_BATCH_SECONDS) return false;
  const secs = (s) => (s < 10 ? s.toFixed(1) : fmtInt(s));
  notice.show(
    'slow',
    `This model has ${fmtInt(params)} parameters: on this machine one batch of ${next.batch} would take about ${secs(t.batch)} s and each test evaluation about ${secs(t.evaluation)} s, so the page will feel slow.`,
    'warn',
    [
      { label: 'Build it anyway', run: () => applyConfig(next, { changed, confirmed: true }) },
      { label: 'Keep the current model', run: () => form.write(app.config) },
    ],
  );
  return true;
}

window.addEventListener('hashchange', () => {
  const { state: s, problems } = state.parseHash(location.hash);
  showHashProblems(problems);
  if (state.toHash(s) !== state.toHash(app.config)) {
    form.write(s);
    applyConfig(s, { fromLink: true });
  }
});

function showHashProblems(problems) {
  if (problems.length === 0) return;
  notice.show('hash', { title: 'Some settings in the link were not usable and were reset to their defaults:', items: problems });
}

function fillLabels() {
  const sel = $('draw-label');
  const names = datasetOf(app.config.dataset).classes;
  sel.replaceChildren(
    ...names.map((name, k) => {
      const o = document.createElement('option');
      o.value = String(k);
      o.textContent = name;
      return o;
    }),
  );
  // A new data set's classes are other things: start from the first.
  sel.value = '0';
  $('draw-label-why').textContent = '';
  plot.update({ names });
  app.testImages = null;
  clearPicked();
}

/** Words that follow the data set: "digit" or "garment", and how its images were made. */
function renderWords() {
  const d = datasetOf(app.config.dataset);
  for (const el of document.querySelectorAll('[data-words]')) {
    const text = d[el.dataset.words];
    if (text && el.textContent !== text) el.textContent = text;
  }
  $('draw-pad').setAttribute('aria-label', `Drawing pad: draw a ${d.item} with mouse, finger or pen`);
}

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
  onExport: () => client.send({ type: 'export' }),
  onImport: (name, bytes) => {
    app.importName = name;
    client.send({ type: 'import', bytes }, [bytes]);
  },
  notice: (text, kind) => notice.show('import', text, kind),
});

function onImported(m) {
  const { state: next, problems } = state.fromWorker(m.model, m.train, app.config.dataset, app.config);
  app.config = next;
  history.replaceState(null, '', state.toHash(next));
  form.write(next);
  const name = app.importName ?? 'model';
  if (problems.length) {
    notice.show('import', { title: `Opened “${name}”, but some of its settings are beyond this page's controls, so the link and the form do not describe it:`, items: problems });
  } else {
    notice.show('import', `Opened “${name}”: ${next.model.toUpperCase()}, hidden ${next.hidden.join(',') || 'none'}, latent ${next.latent}, trained ${fmtInt(m.step ?? 0)} batches.`);
  }
  // The imported model replaces the current one at once: no `ready` follows.
  expectReady();
  app.info = { ...app.info, model: m.model, train: m.train, params: m.params };
  app.awaitingReady = false;
  app.progress = { epoch: m.epoch ?? 0, epochProgress: 0, step: m.step ?? 0, samplesSeen: m.samplesSeen ?? 0, train: null };
  refresh(['recon', 'latent', 'generate']);
  render();
}

// ---------------------------------------------------------------- rendering
function resetHistory() {
  app.started = false;
  app.history = emptyHistory();
  app.lastTest = null;
  app.lastTrain = null;
  app.progress = null;
  klBars.update(null);
}

/** The link that rebuilds what runs: always the full configuration. */
function shareLink() {
  return location.href.replace(/#.*$/, '') + state.toHash(app.config);
}

function render() {
  const [text, kind] = statusText(app);
  const status = $('status');
  if (status.textContent !== text) status.textContent = text;
  status.dataset.kind = kind;

  const loading = app.load || app.problem?.kind === 'data';
  $('load').hidden = !loading;
  $('load-retry').hidden = app.problem?.kind !== 'data';
  const bar = $('load-bar');
  const frac = app.load ? loadFraction(app.load) : null;
  if (frac !== null) bar.value = frac;
  else bar.removeAttribute('value');

  const toggle = $('train-toggle');
  toggle.disabled = !ready();
  const label = app.running ? 'Pause' : 'Train';
  if (toggle.dataset.label !== label) {
    // The label says what a press does; the glyph is decoration for screen readers.
    const icon = document.createElement('span');
    icon.setAttribute('aria-hidden', 'true');
    icon.textContent = app.running ? '❚❚ ' : '▶ ';
    toggle.replaceChildren(icon, label);
    toggle.dataset.label = label;
  }
  $('step').disabled = !ready() || app.running;
  $('reset').disabled = !ready();
  $('model-export').disabled = !ready();

  const pr = app.progress;
  $('stat-epoch').textContent = pr ? (pr.epoch + (pr.epochProgress ?? 0)).toFixed(2) : '0';
  $('stat-step').textContent = fmtInt(pr?.step ?? 0);
  $('stat-seen').textContent = fmtInt(pr?.samplesSeen ?? 0);
  $('stat-speed').textContent = pr && app.running && pr.samplesPerSec > 0 ? fmtInt(pr.samplesPerSec) : '–';
  $('stat-params').textContent = app.info?.params ? fmtInt(app.info.params) : '–';
  $('stat-simd').textContent = app.info ? (app.info.simd ? 'SIMD' : 'no SIMD') : '–';

  const t = app.lastTest;
  $('test-loss').textContent = t ? t.loss.toFixed(4) : '–';
  const ev = app.evaluating;
  $('test-evaluating').textContent = ev ? `evaluating the ${fmtInt(ev.total)} test images… ${Math.floor((100 * ev.done) / ev.total)}%` : '';
  $('test-loss').dataset.step = t ? String(t.step) : '';
  const terms = [];
  if (t && isVariational()) terms.push(`recon ${t.recon.toFixed(2)} + KL ${t.kl.toFixed(2)}`);
  if (t && app.config.model === 'cae') terms.push(`recon ${t.recon.toFixed(2)} + penalty ${t.penalty.toFixed(2)}`);
  if (t && isAdversarial()) terms.push(`recon; discriminator right on ${Math.round(100 * t.disc_accuracy)}% of test codes and prior samples`);
  $('test-terms').textContent = terms.length ? `(${terms.join(', ')})` : '';
  if (pr?.train) app.lastTrain = pr.train;
  $('train-loss').textContent = app.lastTrain ? app.lastTrain.loss.toFixed(4) : '–';

  const h = app.history;
  const series = [
    { label: 'train', color: '#3552c8', points: h.train },
    { label: 'test', color: '#e8590c', points: h.test, dots: true, width: 2 },
  ];
  if (isVariational()) {
    series.push({ label: 'test recon', color: '#2f9e44', points: h.recon, dash: [4, 3] });
    series.push({ label: 'test KL', color: '#9c36b5', points: h.kl, dash: [4, 3], axis: 'right' });
  } else if (app.config.model === 'cae') {
    series.push({ label: 'test penalty', color: '#9c36b5', points: h.penalty, dash: [4, 3], axis: 'right' });
  } else if (isAdversarial()) {
    // 0.5 is a discriminator that cannot tell codes from prior samples: the game's balance.
    series.push({ label: 'disc accuracy', color: '#9c36b5', points: h.discAccuracy, dash: [4, 3], axis: 'right' });
  }
  chart.update({ series, xLabel: 'batches' });

  const c = app.config;
  document.body.dataset.model = c.model;
  flag('variational', isVariational());
  flag('prior', hasPrior());
  $('samples-caption').textContent = isAdversarial()
    ? `z ~ p(z), the ${app.config.prior} prior, decoded${labelledPrior() ? ' (one class per part of the prior, 0–9 along the strip)' : ''}: the discriminator pushed the codes into it, so its samples look like digits.`
    : 'z ~ N(0, I), decoded: generation works as far as the codes really fill the prior.';
  flag('latent2', c.latent === 2);
  $('model-caption').textContent = MODEL_CAPTIONS[c.model];
  $('manifold-caption').textContent = isAdversarial()
    ? 'Decoding a 15×15 grid over the prior’s support: the codes were pushed into the prior’s shape, so the grid walks through the digits there.' +
      (labelledPrior() ? ' With labels, each class has its own part of the prior.' : '')
    : isVariational()
    ? 'Decoding a 15×15 grid over z (Kingma & Welling 2014, fig. 4): each axis runs through the inverse Gaussian CDF, so the grid covers the prior N(0, I).' +
      (isConditional() ? ' The CVAE draws it with the class chosen for your drawing.' : '')
    : 'Decoding a 15×15 grid spread over the codes’ range: a plain AE has no prior, and the gaps between its clusters decode to blends or junk.';
  $('settings-summary').textContent = `${c.model.toUpperCase()} ${[784, ...c.hidden, c.latent].join('–')}, ${c.optimizer} ${c.lr}, seed ${c.seed}`;
  const link = shareLink();
  if ($('share-link').value !== link) $('share-link').value = link;
  renderWords();
  renderInterp();
}

function flag(name, on) {
  if (on) document.body.dataset[name] = '';
  else delete document.body.dataset[name];
}

// ---------------------------------------------------------------- start
{
  const { state: s, problems, flags, settings } = state.parseHash(location.hash);
  app.config = s;
  // A link that carries settings starts training by itself, unless it says autoplay=0.
  app.autoplay = settings > 0 && flags.autoplay !== '0';
  form.write(s);
  fillLabels();
  showHashProblems(problems);
  // A link with bad fields is rewritten to what actually runs.
  if (location.hash) history.replaceState(null, '', state.toHash(s) + (flags.autoplay === '0' ? '&autoplay=0' : ''));
  clearDrawingViews();
  clearModelViews();
  // On a phone the settings start folded, so the views come first.
  if (matchMedia('(max-width: 520px)').matches) $('settings').open = false;
  try {
    if (!localStorage.getItem(FIRST_VISIT_KEY) && !app.autoplay) $('first-hint').hidden = false;
    localStorage.setItem(FIRST_VISIT_KEY, '1');
  } catch {
    // Storage can be off (private mode): the hint then shows every time, which is fine.
  }
  client.start();
  init({ resume: app.autoplay ? 'link' : false });
}
