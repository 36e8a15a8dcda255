// Wires the views to the worker. Owns no math and no model: the worker
// (worker.js, protocol at its top) trains and answers requests; the views
// draw what they are given; state.js turns the configuration into a URL hash.

import * as state from './state.js';
import * as chartView from './views/chart.js';
import * as barsView from './views/bars.js';
import * as gridView from './views/grid.js';
import * as drawpadView from './views/drawpad.js';
import * as latentView from './views/latent-plot.js';
import { ALPHA, toMnist } from './mnist-preprocess.js';
import { corrupt } from './corruption.js';

const $ = (id) => document.getElementById(id);

const DATASETS = {
  mnist: { title: 'MNIST', classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] },
  fashion: {
    title: 'Fashion-MNIST',
    classes: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  },
};
const MODEL_CAPTIONS = {
  ae: 'Encoder squeezes x into a code z, decoder rebuilds x̂; the loss is reconstruction only.',
  dae: 'Denoising: corrupt x, rebuild the clean x. It must learn what digits look like, not copy pixels (Vincent et al. 2008).',
  cae: 'Contractive: adds λ‖∂z/∂x‖², so the code barely moves when x wiggles off the data (Rifai et al. 2011).',
  vae: 'Variational: q(z|x) = N(μ, σ²). Loss = reconstruction + KL to the prior N(0, I): the negative ELBO (Kingma & Welling 2014).',
  cvae: 'Conditional VAE: encoder and decoder also get the label, so z need only hold the style (Sohn et al. 2015).',
};
const LATENT_LIMIT = 2000; // test images in the scatter plot
const MANIFOLD_N = 15;
const SAMPLES = 16;
const INTERP_STEPS = 10;
const NEIGHBOURS = 8;
// While training: how often the pictures follow the weights (ms).
const EVERY = { recon: 600, latent: 3000, generate: 2500 };

// ---------------------------------------------------------------- the views
const chart = chartView.create($('loss-chart'));
const klBars = barsView.create($('kl-bars'));
const inputView = gridView.create($('input28'));
const reconView = gridView.create($('reconstruction'));
const corruptedView = gridView.create($('corrupted'));
const neighboursView = gridView.create($('neighbours'), { cols: NEIGHBOURS, gap: 2 });
const denoisedView = gridView.create($('denoised'));
const manifoldView = gridView.create($('generation-grid'), { cols: MANIFOLD_N });
const samplesView = gridView.create($('samples'), { cols: 8, gap: 2 });
const classesView = gridView.create($('classes'), { cols: 10, gap: 2 });
const interpView = gridView.create($('interp-strip'), { cols: INTERP_STEPS, gap: 2 });
const pickedView = gridView.create($('picked-img'));
const hoverView = gridView.create($('hover-img'));
const pad = drawpadView.create($('draw-pad'), { onChange: drawingChanged });
const plot = latentView.create($('latent-plot'), { legend: $('legend'), onHover: hovered, onPick: picked });

// ---------------------------------------------------------------- app state
const app = {
  config: state.defaults(),
  worker: null,
  gen: 0, // bumped on every rebuild; replies for an older model are dropped
  awaitingReady: true,
  resumeAfterReady: false,
  info: null, // the worker's last `ready`
  running: false,
  steps: 0,
  load: null, // {phase, loaded, total}
  problem: null, // {kind: 'data'|'init'|'diverged'|'crash'|'train', message}
  history: { train: [], test: [], recon: [], kl: [], penalty: [] },
  input: null, // the drawing as 784 pixels, or null
  inputA: null,
  interpolating: false,
  latent: null, // last `latent` reply
  sampleZ: null,
  last: { recon: 0, latent: 0, generate: 0 },
  busy: new Set(), // request kinds in flight
  dirty: new Map(), // kind -> the newest request waiting for that kind's slot
  crashes: [],
};

let nextId = 1;
const pending = new Map(); // id -> {gen, kind, done}

// ---------------------------------------------------------------- worker
function startWorker() {
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  w.addEventListener('message', (e) => onMessage(e.data));
  w.addEventListener('error', (e) => {
    e.preventDefault?.();
    crashed(e.message || 'the worker stopped');
  });
  w.addEventListener('messageerror', () => notice('worker', 'A message from the worker could not be read.', 'bad'));
  app.worker = w;
}

function crashed(message) {
  app.worker?.terminate();
  const now = Date.now();
  app.crashes = app.crashes.filter((t) => now - t < 60_000).concat(now);
  app.running = false;
  if (app.crashes.length > 3) {
    app.problem = { kind: 'crash', message: 'The training worker keeps crashing; reload the page to try again.' };
    notice('crash', `The training worker crashed (${message}) and was not restarted: it crashed ${app.crashes.length} times in a minute.`, 'bad');
    render();
    return;
  }
  notice('crash', `The training worker crashed (${message}). It was restarted and the model rebuilt from its seed.`, 'bad');
  startWorker();
  init();
}

function post(msg, transfer = []) {
  app.worker.postMessage(msg, transfer);
}

/**
 * Sends a request of `kind` (one in flight per kind: a newer one waits and
 * replaces any older waiting one); `done` gets the reply unless the model was
 * rebuilt meanwhile.
 */
function request(kind, msg, done) {
  if (app.awaitingReady || !app.info) return false;
  if (app.busy.has(kind)) {
    app.dirty.set(kind, () => request(kind, msg, done));
    return false;
  }
  const id = nextId++;
  pending.set(id, { gen: app.gen, kind, done });
  app.busy.add(kind);
  post({ ...msg, id });
  return true;
}

function reply(id, m) {
  const p = pending.get(id);
  if (!p) return;
  pending.delete(id);
  if (p.gen === app.gen) p.done(m);
  app.busy.delete(p.kind);
  const again = app.dirty.get(p.kind);
  app.dirty.delete(p.kind);
  again?.();
}

/** Forgets everything about the current model until the worker's next `ready`. */
function expectReady({ resume = false } = {}) {
  app.gen++;
  app.awaitingReady = true;
  app.resumeAfterReady = resume;
  app.running = false;
  app.problem = null;
  app.busy.clear();
  app.dirty.clear();
  pending.clear();
  resetHistory();
}

function init({ resume = false } = {}) {
  expectReady({ resume });
  app.info = null;
  post(state.toInit(app.config));
  render();
}

function onMessage(m) {
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
      app.busy.clear();
      app.dirty.clear();
      resetHistory();
      newSampleNoise();
      if (app.resumeAfterReady) {
        app.resumeAfterReady = false;
        post({ type: 'play' });
        app.running = app.started = true;
      }
      refresh(['recon', 'latent', 'generate']);
      render();
      break;
    case 'progress':
      onProgress(m);
      break;
    case 'test':
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
    case 'reconstruction':
    case 'decoded':
    case 'neighbours':
      reply(m.id, m);
      break;
    case 'latent':
      // The protocol's latent reply carries no id: it answers the one in flight.
      reply(m.id ?? [...pending].find(([, p]) => p.kind === 'latent')?.[0], m);
      break;
    case 'exported':
      download(m.bytes, m.filename || 'model.safetensors');
      break;
    case 'imported':
      onImported(m);
      break;
  }
}

function onProgress(m) {
  const h = app.history;
  app.steps = m.step;
  app.running = m.running;
  app.progress = m;
  if (m.train && Number.isFinite(m.train.loss)) {
    h.train.push([m.step, m.train.loss]);
    if (h.train.length > 3000) h.train = h.train.filter((_, i) => i % 2 === 0);
  }
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
      notice('init', `The model could not be built: ${text}`, 'bad');
      break;
    case 'import':
      notice('import', `Could not open “${app.importName ?? 'that file'}”: ${text.replace(/\.$/, '')}. The current model is unchanged.`, 'bad');
      break;
    case 'train':
      app.running = false;
      app.problem = { kind: 'train', message: text };
      break;
    default:
      // A failed request: free its slot so later ones go out. Without an id
      // we cannot tell which it was, so every slot is freed.
      if (pending.has(m.id)) {
        const kind = pending.get(m.id).kind;
        pending.delete(m.id);
        app.busy.delete(kind);
      } else {
        pending.clear();
        app.busy.clear();
      }
      notice('request', `The worker could not answer a request: ${text}`);
  }
  render();
}

// ---------------------------------------------------------------- requests
const isVariational = () => app.config.model === 'vae' || app.config.model === 'cvae';
const drawLabel = () => Number($('draw-label').value) || 0;

/** Asks the worker for fresh pictures of the given kinds. */
function refresh(kinds) {
  if (app.awaitingReady || !app.info) return;
  const now = performance.now();
  for (const kind of kinds) {
    app.last[kind] = now;
    if (kind === 'recon') requestRecon();
    else if (kind === 'latent') {
      // The test images travel once per dataset; later replies bring only codes.
      const withImages = app.testImages?.dataset !== app.config.dataset;
      request('latent', { type: 'latent', limit: LATENT_LIMIT, withImages }, onLatent);
    }
    else if (kind === 'generate') requestGenerate();
  }
}

function requestRecon() {
  if (!app.input) return;
  const label = app.config.model === 'cvae' ? drawLabel() : undefined;
  request('recon', { type: 'reconstruct', pixels: app.input.slice(), label }, (m) => {
    reconView.update({ pixels: m.pixels, n: 1 });
    const xy = m.xy, std = m.xyStd;
    plot.update({ mark: xy ? { x: xy[0], y: xy[1], sx: std?.[0], sy: std?.[1] } : null });
  });
  if (app.config.model === 'cvae') {
    request('classes', { type: 'classes', pixels: app.input.slice(), label: drawLabel() }, (m) => classesView.update(m));
  }
  if (app.config.model === 'dae') requestDenoised();
  requestNeighbours();
  if (app.interpolating && app.inputA) requestInterpolation();
}

/** Retrieval, the lecture's first application: test images near the drawing in code space. */
function requestNeighbours() {
  const label = app.config.model === 'cvae' ? drawLabel() : undefined;
  request('neighbours', { type: 'neighbours', pixels: app.input.slice(), k: NEIGHBOURS, label }, (m) => {
    neighboursView.update({ pixels: m.pixels, n: m.n ?? m.labels.length });
    const names = DATASETS[app.config.dataset].classes;
    const cvae = app.config.model === 'cvae' ? ' A CVAE’s code holds only the style (the label goes in apart), so neighbours share the slant and stroke, not the class.' : '';
    $('neighbours-text').textContent = `Retrieval by code, nearest first: ${Array.from(m.labels, (l) => names[l]).join(', ')}.${cvae}`;
  });
}

/** The DAE's own task on the drawing: corrupt it as in training, then reconstruct. */
function requestDenoised() {
  const c = app.config;
  const noisy = corrupt(app.input, c.noise, c.noise_level, c.seed);
  // Gaussian noise leaves [0, 1]; the picture clamps, the model sees it all.
  corruptedView.update({ pixels: noisy.map((v) => Math.min(1, Math.max(0, v))), n: 1 });
  request('denoise', { type: 'reconstruct', pixels: noisy }, (m) => denoisedView.update({ pixels: m.pixels, n: 1 }));
}

function requestInterpolation() {
  if (!app.inputA || !app.input) return;
  const labels = app.config.model === 'cvae' ? { label: drawLabel() } : {};
  request('interp', { type: 'interpolate', a: app.inputA.slice(), b: app.input.slice(), steps: INTERP_STEPS, ...labels }, (m) =>
    interpView.update({ pixels: m.pixels, n: m.n }),
  );
}

function requestGenerate() {
  if (app.config.latent === 2) {
    // A CVAE's grid is drawn for the class chosen for the drawing.
    const label = app.config.model === 'cvae' ? drawLabel() : undefined;
    request('manifold', { type: 'manifold', n: MANIFOLD_N, label }, (m) => manifoldView.update({ pixels: m.pixels, n: m.n, cols: MANIFOLD_N }));
  }
  if (!isVariational()) return;
  const z = app.sampleZ;
  // Fixed noise, so the samples change only as the decoder learns.
  const labels = app.config.model === 'cvae' ? Uint8Array.from({ length: SAMPLES }, (_, i) => i % 10) : undefined;
  request('samples', { type: 'decode', z: z.slice(), labels }, (m) => samplesView.update({ pixels: m.pixels, n: m.n }));
}

function newSampleNoise() {
  const k = app.config.latent;
  const z = new Float32Array(SAMPLES * k);
  let s = (Math.random() * 2 ** 32) >>> 0;
  const uniform = () => ((s = (s + 0x6d2b79f5) >>> 0), mulberry(s));
  for (let i = 0; i < z.length; i++) z[i] = Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  app.sampleZ = z;
}

function mulberry(a) {
  let t = Math.imul(a ^ (a >>> 15), 1 | a);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

// ---------------------------------------------------------------- latent space
function onLatent(m) {
  app.latent = m;
  if (m.images) app.testImages = { dataset: app.config.dataset, pixels: m.images, size: m.images.length / m.labels.length };
  const names = DATASETS[app.config.dataset].classes;
  const axes = m.projection === 'pca' ? ['PC 1', 'PC 2'] : m.dims === 1 ? ['z', '–'] : ['z₁', 'z₂'];
  plot.update({ xy: m.xy, labels: m.labels, names, axes });
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
  const names = DATASETS[app.config.dataset].classes;
  const images = app.testImages?.dataset === app.config.dataset ? app.testImages : null;
  if (hoverAsked !== p.index && images && p.index < images.pixels.length / images.size) {
    // The point's own test image: what was encoded to put the dot there.
    hoverAsked = p.index;
    const raw = images.pixels.subarray(p.index * images.size, (p.index + 1) * images.size);
    hoverView.update({ pixels: Float32Array.from(raw, (v) => v / 255), n: 1 });
    $('hover-text').textContent = `${names[p.label]} (test image ${p.index + 1})`;
  } else if (hoverAsked !== p.index) {
    // Images not here yet: show what the decoder makes of the code instead.
    hoverAsked = p.index;
    const labels = app.config.model === 'cvae' ? new Uint8Array([p.label]) : undefined;
    request('hover', { type: 'decode', xy: new Float32Array([p.x, p.y]), labels }, (m) => hoverView.update({ pixels: m.pixels, n: 1 }));
    $('hover-text').textContent = `${names[p.label]}, decoded at its code`;
  }
  const wrap = box.parentElement.getBoundingClientRect();
  const x = p.clientX - wrap.left, y = p.clientY - wrap.top;
  box.style.left = `${Math.min(x + 12, wrap.width - 160)}px`;
  box.style.top = `${Math.max(0, y - 70)}px`;
  box.hidden = false;
}

function picked(p) {
  const labels = app.config.model === 'cvae' ? new Uint8Array([drawLabel()]) : undefined;
  if (app.awaitingReady || !app.info) return;
  request('pick', { type: 'decode', xy: new Float32Array([p.x, p.y]), labels }, (m) => {
    pickedView.update({ pixels: m.pixels, n: 1 });
    const pca = app.latent?.projection === 'pca' ? ', mapped back through the PCA' : '';
    $('picked-text').textContent = `Decoded at (${p.x.toFixed(2)}, ${p.y.toFixed(2)})${pca}.`;
  });
  plot.update({ picked: { x: p.x, y: p.y } });
}

// ---------------------------------------------------------------- drawing
function drawingChanged() {
  const { data, width, height } = pad.ink();
  app.input = pad.isBlank() ? null : toMnist(data.data, width, height, ALPHA);
  $('pad-hint').hidden = !pad.isBlank();
  if (!app.input) {
    for (const v of [inputView, reconView, corruptedView, denoisedView, neighboursView]) v.update(null);
    plot.update({ mark: null });
  } else {
    inputView.update({ pixels: app.input, n: 1 });
    requestRecon();
  }
  $('interpolate').disabled = !(app.inputA && app.input);
}

$('pad-clear').addEventListener('click', () => pad.clear());
$('pad-undo').addEventListener('click', () => pad.undo());
$('pad-eraser').addEventListener('click', (e) => {
  const on = e.currentTarget.getAttribute('aria-pressed') !== 'true';
  e.currentTarget.setAttribute('aria-pressed', String(on));
  pad.setEraser(on);
});
$('draw-label').addEventListener('change', () => refresh(['recon', 'generate']));
$('save-a').addEventListener('click', () => {
  if (!app.input) return notice('interp', 'Draw something first, then keep it as A.');
  app.inputA = app.input.slice();
  $('save-a').textContent = 'A kept ✓ (keep again)';
  pad.clear();
});
$('interpolate').addEventListener('click', () => {
  app.interpolating = true;
  requestInterpolation();
});

// ---------------------------------------------------------------- training controls
$('train-toggle').addEventListener('click', () => {
  if (!app.info) return;
  app.running = !app.running;
  if (app.running) (app.problem = null), (app.started = true);
  post({ type: app.running ? 'play' : 'pause' });
  render();
});
$('step').addEventListener('click', () => {
  if (!app.info) return;
  app.problem = null;
  app.started = true;
  post({ type: 'step', n: 1 });
});
$('reset').addEventListener('click', () => {
  expectReady();
  post({ type: 'reset' });
  render();
});
$('load-retry').addEventListener('click', () => init());
$('resample').addEventListener('click', () => {
  newSampleNoise();
  refresh(['generate']);
});

// ---------------------------------------------------------------- configuration
const form = $('config');

function writeForm(s) {
  for (const p of state.PROPS) {
    const el = form.elements[p.name];
    if (el) el.value = state.formatValue(p, s[p.name]);
  }
  for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
}

form.addEventListener('submit', (e) => e.preventDefault());
// A fresh seed from the browser's CSPRNG (what getrandom uses in wasm too);
// it lands in the hash like any setting, so the new run is still shareable.
$('new-seed').addEventListener('click', () => {
  form.elements.seed.value = crypto.getRandomValues(new Uint32Array(1))[0];
  form.dispatchEvent(new Event('change'));
});

form.addEventListener('change', () => {
  const next = { ...app.config };
  let ok = true;
  for (const p of state.PROPS) {
    const el = form.elements[p.name];
    if (!el) continue;
    const r = state.parseValue(p, el.value.trim());
    el.classList.toggle('invalid', !('value' in r));
    el.setAttribute('aria-invalid', String(!('value' in r)));
    if ('value' in r) next[p.name] = r.value;
    else ok = false;
  }
  if (!ok) return;
  if (state.toHash(next) === state.toHash(app.config)) return;
  applyConfig(next, { resume: app.running });
});

function applyConfig(next, { resume = false } = {}) {
  const datasetChanged = next.dataset !== app.config.dataset;
  app.config = next;
  history.replaceState(null, '', state.toHash(next));
  writeForm(next);
  if (datasetChanged) fillLabels();
  init({ resume });
}

window.addEventListener('hashchange', () => {
  const { state: s, problems } = state.parseHash(location.hash);
  showHashProblems(problems);
  if (state.toHash(s) !== state.toHash(app.config)) applyConfig(s);
});

function showHashProblems(problems) {
  if (problems.length === 0) return;
  notice('hash', { title: 'Some settings in the link were not usable and were reset to their defaults:', items: problems });
}

function fillLabels() {
  const sel = $('draw-label');
  const keep = sel.value;
  sel.replaceChildren(
    ...DATASETS[app.config.dataset].classes.map((name, k) => {
      const o = document.createElement('option');
      o.value = String(k);
      o.textContent = name;
      return o;
    }),
  );
  sel.value = keep || '0';
  plot.update({ names: DATASETS[app.config.dataset].classes });
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

$('model-export').addEventListener('click', () => app.info && post({ type: 'export' }));

function download(bytes, filename) {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const MAX_MODEL_BYTES = 256 * 1024 * 1024;
async function importFile(file) {
  if (!file) return;
  if (!app.info) return notice('import', 'Wait until the dataset has loaded, then open the model again.');
  if (file.size > MAX_MODEL_BYTES) {
    return notice('import', `“${file.name}” is ${(file.size / 2 ** 20).toFixed(0)} MB: too large for a model of this playground. The current model is unchanged.`, 'bad');
  }
  const bytes = await file.arrayBuffer();
  app.importName = file.name;
  post({ type: 'import', bytes }, [bytes]);
}

function onImported(m) {
  const { state: next, problems } = state.fromWorker(m.model, m.train, app.config.dataset, app.config);
  app.config = next;
  history.replaceState(null, '', state.toHash(next));
  writeForm(next);
  const name = app.importName ?? 'model';
  if (problems.length) {
    notice('import', { title: `Opened “${name}”, but some of its settings are beyond this page's controls, so the link and the form do not describe it:`, items: problems });
  } else {
    notice('import', `Opened “${name}”: ${next.model.toUpperCase()}, hidden ${next.hidden.join(',') || 'none'}, latent ${next.latent}, trained ${fmtInt(m.step ?? 0)} batches.`);
  }
  // The imported model replaces the current one at once: no `ready` follows.
  expectReady();
  app.info = { ...app.info, model: m.model, train: m.train, params: m.params };
  app.awaitingReady = false;
  app.steps = m.step ?? 0;
  app.progress = { epoch: m.epoch ?? 0, epochProgress: 0, step: m.step ?? 0, samplesSeen: m.samplesSeen ?? 0, train: null };
  newSampleNoise();
  refresh(['recon', 'latent', 'generate']);
  render();
}

$('model-import').addEventListener('change', (e) => {
  importFile(e.target.files[0]);
  e.target.value = '';
});
let dragDepth = 0;
const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
document.addEventListener('dragenter', (e) => {
  if (!hasFiles(e)) return;
  dragDepth++;
  $('drop').hidden = false;
});
document.addEventListener('dragleave', () => {
  if (--dragDepth <= 0) (dragDepth = 0), ($('drop').hidden = true);
});
document.addEventListener('dragover', (e) => hasFiles(e) && e.preventDefault());
document.addEventListener('drop', (e) => {
  if (!hasFiles(e)) return;
  e.preventDefault();
  dragDepth = 0;
  $('drop').hidden = true;
  importFile(e.dataTransfer.files[0]);
});

// ---------------------------------------------------------------- notices
/** Shows a plain-text notice (never HTML); a notice with the same key replaces it. */
function notice(key, content, kind = 'warn') {
  const box = $('notices');
  box.querySelector(`[data-key="${key}"]`)?.remove();
  const div = document.createElement('div');
  div.className = `notice ${kind === 'bad' ? 'bad' : ''}`;
  div.dataset.key = key;
  div.dataset.testid = `notice-${key}`;
  div.setAttribute('role', kind === 'bad' ? 'alert' : 'status');
  const p = document.createElement('p');
  if (typeof content === 'string') {
    p.textContent = content;
  } else {
    p.textContent = content.title;
    const ul = document.createElement('ul');
    for (const item of content.items) {
      const li = document.createElement('li');
      li.textContent = item;
      ul.append(li);
    }
    p.append(ul);
  }
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Dismiss';
  close.addEventListener('click', () => div.remove());
  div.append(p, close);
  box.append(div);
}

// ---------------------------------------------------------------- rendering
function resetHistory() {
  app.started = false; // play or step pressed for this model
  app.history = { train: [], test: [], recon: [], kl: [], penalty: [] };
  app.lastTest = null;
  app.lastTrain = null;
  app.progress = null;
  app.steps = 0;
  klBars.update(null);
}

function statusText() {
  const ds = DATASETS[app.config.dataset].title;
  const p = app.problem;
  if (p?.kind === 'data') return [`Could not load ${ds}: ${p.message}`, 'bad'];
  if (p?.kind === 'crash') return [p.message, 'bad'];
  if (p?.kind === 'init') return [`Model not built: ${p.message}`, 'bad'];
  if (p?.kind === 'diverged') return [`Diverged: ${p.message}`, 'bad'];
  if (p?.kind === 'train') return [`Training stopped: ${p.message}`, 'bad'];
  if (app.load) {
    if (app.load.file === 'all') return [`Preparing ${ds}…`, 'loading'];
    const pct = loadFraction(app.load);
    return [pct === null ? `Loading ${ds}…` : `Loading ${ds}… ${Math.floor(100 * pct)}%`, 'loading'];
  }
  if (app.awaitingReady || !app.info) return [`Building the model…`, 'loading'];
  if (app.running) return ['Training', 'training'];
  return [app.steps > 0 || app.started ? 'Paused' : 'Ready', 'idle'];
}

// The four files come one after another, each with its own byte count; their
// rough shares of the whole (by compressed size) make one honest percentage.
const FILE_SHARE = [
  ['train-images', 0.85, 0],
  ['train-labels', 0.003, 0.85],
  ['t10k-images', 0.145, 0.853],
  ['t10k-labels', 0.002, 0.998],
];
function loadFraction(l) {
  if (!(l.total > 0)) return null;
  const f = Math.min(1, l.loaded / l.total);
  const share = FILE_SHARE.find(([name]) => String(l.file ?? '').startsWith(name));
  if (!share) return l.phase === 'download' ? f : null;
  // Downloading is most of the wait; unpacking is counted as the last tenth of each file.
  const part = l.phase === 'decode' ? 0.9 + 0.1 * f : 0.9 * f;
  return share[2] + share[1] * part;
}

// Not toLocaleString: its first call loads locale data, a long task on a phone.
const fmtInt = (x) => String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function render() {
  const [text, kind] = statusText();
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

  const ready = Boolean(app.info) && !app.awaitingReady;
  const toggle = $('train-toggle');
  toggle.disabled = !ready;
  const label = app.running ? 'Pause' : 'Train';
  if (toggle.dataset.label !== label) {
    // The label says what a press does; the glyph is decoration for screen readers.
    const icon = document.createElement('span');
    icon.setAttribute('aria-hidden', 'true');
    icon.textContent = app.running ? '❚❚ ' : '▶ ';
    toggle.replaceChildren(icon, label);
    toggle.dataset.label = label;
  }
  $('step').disabled = !ready || app.running;
  $('reset').disabled = !ready;
  $('model-export').disabled = !ready;

  const pr = app.progress;
  $('stat-epoch').textContent = pr ? (pr.epoch + (pr.epochProgress ?? 0)).toFixed(2) : '0';
  $('stat-step').textContent = fmtInt(pr?.step ?? 0);
  $('stat-seen').textContent = fmtInt(pr?.samplesSeen ?? 0);
  $('stat-speed').textContent = pr && app.running && pr.samplesPerSec > 0 ? fmtInt(pr.samplesPerSec) : '–';
  $('stat-params').textContent = app.info?.params ? fmtInt(app.info.params) : '–';
  $('stat-simd').textContent = app.info ? (app.info.simd ? 'SIMD' : 'no SIMD') : '–';

  const t = app.lastTest;
  $('test-loss').textContent = t ? t.loss.toFixed(4) : '–';
  $('test-loss').dataset.step = t ? String(t.step) : '';
  const terms = [];
  if (t && isVariational()) terms.push(`recon ${t.recon.toFixed(2)} + KL ${t.kl.toFixed(2)}`);
  if (t && app.config.model === 'cae') terms.push(`recon ${t.recon.toFixed(2)} + penalty ${t.penalty.toFixed(2)}`);
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
    series.push({ label: 'test KL', color: '#9c36b5', points: h.kl, dash: [4, 3] });
  } else if (app.config.model === 'cae') {
    series.push({ label: 'test penalty', color: '#9c36b5', points: h.penalty, dash: [4, 3] });
  }
  chart.update({ series, xLabel: 'batches' });

  const c = app.config;
  document.body.dataset.model = c.model;
  flag('variational', isVariational());
  flag('latent2', c.latent === 2);
  $('model-caption').textContent = MODEL_CAPTIONS[c.model];
  $('manifold-caption').textContent = isVariational()
    ? 'Decoding a 15×15 grid over z (Kingma & Welling 2014, fig. 4): each axis runs through the inverse Gaussian CDF, so the grid covers the prior N(0, I).' +
      (c.model === 'cvae' ? ' The CVAE draws it with the class chosen for your drawing.' : '')
    : 'Decoding a 15×15 grid spread over the codes’ range: a plain AE has no prior, and the gaps between its clusters decode to blends or junk.';
  $('settings-summary').textContent = `${c.model.toUpperCase()} ${[784, ...c.hidden, c.latent].join('–')}, ${c.optimizer} ${c.lr}, seed ${c.seed}`;
  $('share-link').value = location.href;
}

function flag(name, on) {
  if (on) document.body.dataset[name] = '';
  else delete document.body.dataset[name];
}

// ---------------------------------------------------------------- start
{
  const { state: s, problems } = state.parseHash(location.hash);
  app.config = s;
  writeForm(s);
  fillLabels();
  showHashProblems(problems);
  // A link with bad fields is rewritten to what actually runs.
  if (location.hash) history.replaceState(null, '', state.toHash(s));
  for (const v of [inputView, reconView, corruptedView, denoisedView, neighboursView]) v.update(null);
  // Blank tiles at their final size, so the layout does not jump.
  const blank = (n, cols) => ({ pixels: null, n, cols });
  manifoldView.update(blank(MANIFOLD_N * MANIFOLD_N, MANIFOLD_N));
  samplesView.update(blank(SAMPLES));
  classesView.update(blank(10));
  interpView.update(blank(INTERP_STEPS));
  // On a phone the settings start folded, so the views come first.
  if (matchMedia('(max-width: 520px)').matches) $('settings').open = false;
  startWorker();
  init();
}
