// The training worker: owns the model, the datasets and the training loop.
// The page owns the pixels; it never touches wasm. Started as
//   new Worker('worker.js', {type: 'module'})
//
// PROTOCOL (typed arrays travel as transferred buffers; `id` is echoed back)
//
// main -> worker
//   init {model: ModelConfig, train: {optimizer, lr, batch, seed}, dataset: 'mnist'|'fashion'}
//        (Re)builds the model, loads the dataset if it is not the loaded one,
//        replies `ready`, stays paused, then evaluates the untrained model (`test`).
//        A bad config replies error{where:'init'} and keeps the current model;
//        a failed download replies error{where:'data'}: send init again to retry.
//   play | pause            Start / stop training. Pausing evaluates the test set.
//   step {n}                Pauses, trains n batches, then posts progress and test.
//   reset                   Rebuilds with the same config and seed -> ready (+ test).
//   reconstruct {id, pixels: Float32Array(784·n), label?}
//        -> reconstruction {id, pixels, code: Float32Array(latent·n),
//                           logvar: Float32Array|null, xy: Float32Array(2·n), xyStd: Float32Array(2·n)|null}
//        xy is the code in the latent plot's coordinates: the projection of the
//        last `latent` reply, recomputed from the current model once that is
//        over 2 s old and training has moved on. xyStd is the posterior's std
//        along those axes (VAEs). label conditions a CVAE (default 0).
//   latent {limit = 2000, withImages?}
//        -> latent {xy: Float32Array(2·n), labels: Uint8Array(n), dims, projection: 'none'|'pca',
//                   images?: Uint8Array(784·n) (the test images themselves, 0–255, when withImages),
//                   pca?: {mean: Float32Array(dims), components: Float32Array(2·dims), variance: [λ1, λ2], explained},
//                   step}
//        Codes of the first `limit` test images. With 1 or 2 dims the code is
//        the plot (y = 0 for 1 dim); with more, its first two principal
//        components (x = components[0..dims]·(z − mean), y likewise).
//   decode {id, z: Float32Array(latent·n) | xy: Float32Array(2·n), labels?: Uint8Array(n)}
//        -> decoded {id, pixels, n}   (xy is mapped back through the plot's projection)
//   sample {id, n, label?}
//        -> decoded {id, pixels, n}   z ~ N(0, I) for VAEs; for deterministic AEs,
//        which have no prior, a diagonal Gaussian fitted to the test codes.
//   manifold {id, n, label?}
//        -> decoded {id, pixels, n: n·n, xy: Float32Array(2·n·n)}
//        An n×n grid at Gaussian quantiles (i+½)/n (Kingma & Welling 2014, fig. 4):
//        of the prior for a VAE with 2 dims, of the codes' spread otherwise,
//        along the first two principal directions when dims > 2. Row-major,
//        first row at the largest y (top of a plot whose y points up).
//   classes {id, pixels: Float32Array(784), label = 0}     (CVAE only, else error)
//        -> decoded {id, pixels, n: 10}   the drawing's z decoded with labels 0…9.
//   interpolate {id, a: Float32Array(784), b: Float32Array(784), steps, label?}
//        -> decoded {id, pixels, n: steps}   decodes of (1−t)·z_a + t·z_b.
//   neighbours {id, pixels: Float32Array(784), k = 8, label?}
//        -> neighbours {id, pixels: Float32Array(784·k) in [0,1], labels: Uint8Array(k),
//                       indices: Uint32Array(k), distances: Float32Array(k)}
//        Retrieval by code: the k test images of the latent plot whose codes lie
//        nearest the drawing's code (Euclidean, in the full code space).
//   set_lr {lr}            The learning rate from the next batch on; the model and the
//        optimiser's moments stay (the page's learning-rate field). error{where:'request'} if out of range.
//   count_params {id, model: ModelConfig} -> params {id, params}   the size of a model
//        before building it, so the page can warn before a slow one.
//   classify {id, pixels: Float32Array(784)}   (CVAE only, else error)
//        -> classified {id, probs: Float32Array(10), progress}   the drawing's class
//        probabilities from a classifier trained in the background on the loaded
//        data set (progress: the fraction of its training done, 0–1).
//   export -> exported {bytes: ArrayBuffer, filename}    (safetensors + config metadata)
//   import {bytes: ArrayBuffer}
//        -> imported {model, train, params, step, epoch, samplesSeen, dataset}, then test;
//        or error{where:'import'} with the current model untouched. `dataset` is
//        what the file says it was trained on ('mnist'|'fashion'|null); the
//        loaded dataset stays as it is.
//
// worker -> main
//   ready {simd, model, train, dataset, params}   (model/train with defaults filled in)
//   load {dataset, phase: 'download'|'decode', loaded, total, file}   bytes, at most ~10/s
//        per file; a last {phase: 'decode', file: 'all'} while wasm decodes the images.
//   progress {epoch, step, samplesSeen, samplesPerSec, epochProgress,
//             train: {loss, recon, kl, penalty, accuracy} | null, running}
//        At most ~10/s while training; train figures average the batches since
//        the last progress message (null if none); samplesPerSec counts
//        training time only.
//   test {step, epoch, loss, recon, kl, penalty, accuracy, klPerDim: Float32Array, ms}
//        The full 10,000-image test set (nats per image): after init/reset/import,
//        on pause, after step, at each epoch's end, and while running whenever
//        training has run 8× as long as the last evaluation took (≥ 3 s), so
//        evaluation costs ≤ ~11% of the time. `ms`: how long it took.
//   evaluating {done, total}   a test-set evaluation under way (images done of total),
//        at most once per slice; the `test` message ends it. Pause, a new model or
//        an import cancels it between two slices.
//   state {running}
//   diverged {message}   training paused; the core has rolled the weights back.
//   error {where: 'data'|'init'|'import'|'request'|'train', message, id?, request?}
//        `request` names the message type that failed, `id` echoes its id.
//   A wasm trap (out of memory, say) is rethrown uncaught, so the Worker's
//   `error` event fires and the page can restart the worker.
//
// Determinism: a seed and a config give the same run whatever the chunking,
// so `step {n}` and the test figures after it are identical every time.

import init, { MnistData, Playground } from './pkg/ae_playground.js';
import { loadDataset } from './dataset.js';
import { BackgroundClassifier } from './background-classifier.js';

/** Time slice for training/evaluation before yielding to incoming messages. */
const SLICE_MS = 40;
const PROGRESS_MS = 100;
/** Evaluate while running once training time reaches this multiple of the last evaluation's cost. */
const EVAL_RATIO = 8;
const EVAL_MIN_GAP_MS = 3000;
/** A PCA basis / code statistics younger than this is reused for drawing requests. */
const PROJECTION_TTL_MS = 2000;
const LATENT_LIMIT = 2000;

const wasmReady = init();

let pg = null; // Playground: the model and its trainer
let data = null; // MnistData of `dataName`
let dataName = null;
let loading = null; // {name, promise} while a dataset downloads
let wantedData = null; // the dataset the latest init asked for
let generation = 0; // bumps when the model is replaced; stale async work checks it
let simd = false;
let clf = null; // BackgroundClassifier while a CVAE is the model: proposes the drawing's label
let clfTurn = 0;

// The loop's state.
let running = false; // play mode
let stepsLeft = 0; // from `step {n}`
let evalDue = false;
let lastEvalStep = -1;
let lastEvalMs = 0;
let trainMsSinceEval = 0;
let scheduled = false;
let msPerBatch = 0; // running estimate, sizes the chunks
// Figures since the last progress message.
let acc = { n: 0, loss: 0, recon: 0, kl: 0, penalty: 0, accuracy: 0, samples: 0, ms: 0 };
let lastProgress = 0;
let samplesPerSec = 0;

// What the latent plot shows: projection and code statistics.
let view = null; // {step, at, dims, projection, mean, components, variance, codeMean, codeStd}

function post(msg, transfer = []) {
  self.postMessage(msg, transfer);
}

function errorText(e) {
  return e instanceof Error ? e.message : String(e);
}

self.onmessage = (ev) => {
  const msg = ev.data || {};
  handle(msg).catch((e) => {
    if (trapped(e)) return;
    const where = msg.type === 'init' ? 'init' : msg.type === 'import' ? 'import' : 'request';
    post({ type: 'error', where, message: errorText(e), id: msg.id, request: msg.type });
  });
};

/**
 * A wasm trap (out of memory, or a panic that validation missed) leaves the
 * instance unusable. Rethrow it outside any promise so the Worker's `error`
 * event fires and the page restarts us, rather than answer from a broken core.
 */
function trapped(e) {
  if (!(e instanceof WebAssembly.RuntimeError)) return false;
  running = false;
  stepsLeft = 0;
  setTimeout(() => {
    throw new Error(`the wasm core stopped (${e.message}); most likely it ran out of memory: try smaller layers`);
  });
  return true;
}

async function handle(msg) {
  switch (msg.type) {
    case 'init':
      return onInit(msg);
    case 'reset':
      if (!pg) throw new Error('no model yet: send init first');
      return onInit({ model: JSON.parse(pg.model_config_json()), train: JSON.parse(pg.train_config_json()), dataset: dataName ?? 'mnist' });
    case 'play':
      requireReady();
      stepsLeft = 0;
      setRunning(true);
      return;
    case 'pause': {
      const busy = running || stepsLeft > 0;
      stepsLeft = 0;
      setRunning(false);
      if (busy && pg) {
        postProgress();
        evalDue = true;
        schedule();
      }
      return;
    }
    case 'step': {
      requireReady();
      const n = Math.floor(Number(msg.n));
      if (!(n >= 1 && n <= 1e6)) throw new Error(`step needs n between 1 and 1000000, got ${msg.n}`);
      if (running) setRunning(false);
      stepsLeft += n;
      schedule();
      return;
    }
    case 'set_lr':
      if (!pg) throw new Error('the model is not ready yet');
      pg.set_learning_rate(Number(msg.lr));
      return;
    case 'classify':
      if (!pg?.conditional || !clf) throw new Error('a label is proposed only for a conditional VAE (cvae)');
      return onClassify(msg);
    case 'count_params':
      await wasmReady;
      return post({ type: 'params', id: msg.id, params: Playground.param_count(JSON.stringify(msg.model ?? {})) });
    case 'export':
      return onExport();
    case 'import':
      return onImport(msg);
  }
  // Requests about the current model.
  if (!pg) throw new Error('the model is not ready yet');
  switch (msg.type) {
    case 'reconstruct':
      return onReconstruct(msg);
    case 'latent':
      return onLatent(msg);
    case 'decode':
      return onDecode(msg);
    case 'sample':
      return onSample(msg);
    case 'manifold':
      return onManifold(msg);
    case 'classes':
      return onClasses(msg);
    case 'interpolate':
      return onInterpolate(msg);
    case 'neighbours':
      return onNeighbours(msg);
    default:
      throw new Error(`unknown message type “${msg.type}”`);
  }
}

function requireReady() {
  if (!pg) throw new Error('the model is not ready yet');
  if (!data || dataName !== wantedData) throw new Error('the dataset is not loaded yet');
}

// ---------------------------------------------------------------- model lifecycle

async function onInit(msg) {
  const gen = ++generation;
  stopLoop();
  simd = (await wasmReady, Playground.simd());
  let next;
  try {
    next = new Playground(JSON.stringify(msg.model ?? {}), JSON.stringify(msg.train ?? {}));
  } catch (e) {
    post({ type: 'error', where: 'init', message: errorText(e) });
    return;
  }
  if (gen !== generation) return next.free();
  replaceModel(next);
  const name = msg.dataset ?? 'mnist';
  try {
    await ensureData(name);
  } catch (e) {
    if (gen === generation) post({ type: 'error', where: 'data', message: errorText(e) });
    return;
  }
  if (gen !== generation) return;
  pg.init_output_bias(data);
  startClassifier();
  post({ type: 'ready', simd, model: JSON.parse(pg.model_config_json()), train: JSON.parse(pg.train_config_json()), dataset: dataName, params: pg.params });
  evalDue = true;
  schedule();
}

function replaceModel(next) {
  pg?.free();
  pg = next;
  view = null;
  lastEvalStep = -1;
  trainMsSinceEval = 0;
  msPerBatch = 0;
  samplesPerSec = 0;
  evalMs = 0;
  resetAccumulator();
  post({ type: 'state', running: false });
}

function stopLoop() {
  running = false;
  stepsLeft = 0;
  evalDue = false;
}

async function ensureData(name) {
  if (name !== 'mnist' && name !== 'fashion') throw new Error(`unknown dataset “${name}” (expected mnist or fashion)`);
  wantedData = name;
  if (data && dataName === name) return;
  if (loading?.name !== name) {
    const promise = loadData(name);
    loading = { name, promise };
    promise.then(
      () => loading?.promise === promise && (loading = null),
      () => loading?.promise === promise && (loading = null),
    );
  }
  await loading.promise;
}

async function loadData(name) {
  const files = await loadDataset(name, (p) => post({ type: 'load', dataset: name, ...p }));
  if (wantedData !== name) throw new Error(`the ${name} dataset is no longer wanted`); // a newer init asked for another
  // Decoding 70,000 images into floats takes a moment in wasm.
  post({ type: 'load', dataset: name, phase: 'decode', loaded: 1, total: 1, file: 'all' });
  // Free the other dataset first: decoded as floats each takes ~220 MB, and
  // wasm memory, once grown, never shrinks.
  data?.free();
  data = null;
  dataName = null;
  clf?.free();
  clf = null;
  data = new MnistData(files[0], files[1], files[2], files[3]);
  dataName = name;
  view = null;
}

async function onExport() {
  if (!pg) throw new Error('no model to export yet');
  const bytes = pg.save(dataName ?? '');
  const m = JSON.parse(pg.model_config_json());
  const filename = `${m.kind}-${[m.input, ...m.hidden, m.kind === 'classifier' ? m.classes : m.latent].join('-')}-${dataName ?? 'model'}-step${pg.step}.safetensors`;
  post({ type: 'exported', bytes: bytes.buffer, filename }, [bytes.buffer]);
}

async function onImport(msg) {
  await wasmReady;
  if (!(msg.bytes instanceof ArrayBuffer)) throw new Error('import needs the file as an ArrayBuffer');
  let next;
  try {
    next = Playground.load(new Uint8Array(msg.bytes));
  } catch (e) {
    post({ type: 'error', where: 'import', message: errorText(e) });
    return;
  }
  generation++;
  stopLoop();
  replaceModel(next);
  post({
    type: 'imported',
    model: JSON.parse(pg.model_config_json()),
    train: JSON.parse(pg.train_config_json()),
    params: pg.params,
    step: pg.step,
    epoch: pg.epoch,
    samplesSeen: pg.samples_seen,
    dataset: pg.trained_on ?? null,
  });
  if (data) {
    startClassifier();
    evalDue = true;
    schedule();
  }
}

/** A CVAE needs a label for each drawing: train a classifier to propose one (once per data set). */
function startClassifier() {
  if (!pg?.conditional || !data) return;
  if (clf && clf.dataName === dataName) return schedule();
  clf?.free();
  clf = new BackgroundClassifier(Playground, dataName);
  schedule();
}

function onClassify(msg) {
  const pixels = asF32(msg.pixels, 'pixels');
  if (pixels.length !== pg.input) throw new Error(`classify takes one image of ${pg.input} pixels, got ${pixels.length} numbers`);
  const { probs, progress } = clf.classify(pixels);
  post({ type: 'classified', id: msg.id, probs, progress }, [probs.buffer]);
}

// ---------------------------------------------------------------- the loop

function setRunning(on) {
  running = on;
  post({ type: 'state', running });
  if (on) {
    lastProgress = performance.now();
    schedule();
  }
}

// MessageChannel rather than setTimeout(0): timers nest-clamp to 4 ms, and a
// port message queues behind messages already waiting from the page, so
// pause/reconstruct get through between slices.
const tickChannel = new MessageChannel();
tickChannel.port1.onmessage = () => {
  scheduled = false;
  tick();
};

function schedule() {
  if (!scheduled) {
    scheduled = true;
    tickChannel.port2.postMessage(null);
  }
}

function tick() {
  if (!pg || !data) return;
  const gen = generation;
  const mainBusy = () => evalDue || running || stepsLeft > 0;
  try {
    // The background classifier gets the idle slices, and every fourth one while training.
    if (clf && !clf.trained && pg.conditional && clf.dataName === dataName && (!mainBusy() || ++clfTurn % 4 === 0)) {
      clf.slice(data, SLICE_MS);
    } else if (evalDue) {
      evaluateSlice();
    } else if (running || stepsLeft > 0) {
      trainSlice();
    }
  } catch (e) {
    if (trapped(e) || gen !== generation) return;
    stopLoop();
    post({ type: 'error', where: 'train', message: errorText(e) });
    post({ type: 'state', running: false });
    return;
  }
  if (mainBusy() || (clf && !clf.trained && pg.conditional)) schedule();
}

function trainSlice() {
  const t0 = performance.now();
  const epochBefore = pg.epoch;
  while (running || stepsLeft > 0) {
    const elapsed = performance.now() - t0;
    if (elapsed >= SLICE_MS) break;
    let k = msPerBatch > 0 ? Math.floor((SLICE_MS - elapsed) / msPerBatch) : 1;
    k = Math.max(1, Math.min(k, 1000));
    if (stepsLeft > 0) k = Math.min(k, stepsLeft);
    const t = performance.now();
    const seen = pg.samples_seen;
    let s;
    try {
      s = pg.train(data, k);
    } catch (e) {
      if (e?.name === 'DivergedError') return onDiverged(e.message);
      throw e;
    }
    const ms = performance.now() - t;
    msPerBatch = msPerBatch > 0 ? 0.7 * msPerBatch + 0.3 * (ms / k) : ms / k;
    const samples = pg.samples_seen - seen;
    acc.n += k;
    acc.loss += s[0] * k;
    acc.recon += s[1] * k;
    acc.kl += s[2] * k;
    acc.penalty += s[3] * k;
    acc.accuracy += s[4] * k;
    acc.samples += samples;
    acc.ms += ms;
    trainMsSinceEval += ms;
    if (stepsLeft > 0) {
      stepsLeft -= k;
      if (stepsLeft === 0) {
        postProgress();
        evalDue = true;
        return;
      }
    }
    if (pg.epoch !== epochBefore) {
      evalDue = true; // the end of an epoch
      break;
    }
    if (trainMsSinceEval >= Math.max(EVAL_MIN_GAP_MS, EVAL_RATIO * lastEvalMs)) {
      evalDue = true;
      break;
    }
  }
  if (performance.now() - lastProgress >= PROGRESS_MS) postProgress();
}

function resetAccumulator() {
  acc = { n: 0, loss: 0, recon: 0, kl: 0, penalty: 0, accuracy: 0, samples: 0, ms: 0 };
}

function postProgress() {
  if (!pg) return;
  lastProgress = performance.now();
  if (acc.ms > 0) {
    const rate = (1000 * acc.samples) / acc.ms;
    samplesPerSec = samplesPerSec > 0 ? 0.5 * samplesPerSec + 0.5 * rate : rate;
  }
  const n = Math.max(acc.n, 1);
  const train = acc.n > 0 ? { loss: acc.loss / n, recon: acc.recon / n, kl: acc.kl / n, penalty: acc.penalty / n, accuracy: acc.accuracy / n } : null;
  post({
    type: 'progress',
    epoch: pg.epoch,
    step: pg.step,
    samplesSeen: pg.samples_seen,
    samplesPerSec,
    epochProgress: pg.epoch_progress,
    train,
    running,
  });
  resetAccumulator();
}

let evalMs = 0; // spent on the evaluation under way

function evaluateSlice() {
  if (pg.step === lastEvalStep) {
    evalDue = false; // figures for this step were already posted
    return;
  }
  const t0 = performance.now();
  let r;
  // Test batches are 500 images; a slice runs as many as fit.
  do {
    r = pg.evaluate_test_some(data, 1);
  } while (!r && performance.now() - t0 < SLICE_MS);
  evalMs += performance.now() - t0;
  if (!r) {
    const total = data.test_len;
    post({ type: 'evaluating', done: Math.round(pg.evaluation_progress(data) * total), total });
    return;
  }
  lastEvalMs = evalMs;
  evalMs = 0;
  evalDue = false;
  lastEvalStep = pg.step;
  trainMsSinceEval = 0;
  const klPerDim = r.slice(5);
  post(
    {
      type: 'test',
      step: pg.step,
      epoch: pg.epoch,
      loss: r[0],
      recon: r[1],
      kl: r[2],
      penalty: r[3],
      accuracy: r[4],
      klPerDim,
      ms: Math.round(lastEvalMs),
    },
    [klPerDim.buffer],
  );
}

function onDiverged(message) {
  stopLoop();
  resetAccumulator();
  post({ type: 'diverged', message });
  post({ type: 'state', running: false });
  postProgress();
  evalDue = true;
}

// ---------------------------------------------------------------- the latent space

/** Labels for n images: the request's `label` for all, or zeros. */
function labelsFor(n, label) {
  const l = new Uint8Array(n);
  if (label !== undefined && label !== null) {
    const v = Number(label);
    if (!(Number.isInteger(v) && v >= 0 && v <= 9)) throw new Error(`label ${label} is not a digit 0–9`);
    l.fill(v);
  }
  return l;
}

function asF32(x, what) {
  if (x instanceof Float32Array) return x;
  if (Array.isArray(x) || ArrayBuffer.isView(x)) return Float32Array.from(x);
  throw new Error(`${what} must be a Float32Array`);
}

/** The current projection, refreshed when the model has trained since and it is old. */
function currentView(fresh = false) {
  if (!data) return null;
  const step = pg.step;
  if (view && !fresh && (view.step === step || performance.now() - view.at < PROJECTION_TTL_MS)) return view;
  const limit = Math.min(LATENT_LIMIT, data.test_len);
  const codes = pg.encode_test(data, limit);
  view = makeView(codes, pg.latent, limit, view);
  view.step = step;
  view.codes = codes;
  view.limit = limit;
  return view;
}

function makeView(codes, k, n, previous) {
  const mean = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) mean[j] += codes[i * k + j];
  for (let j = 0; j < k; j++) mean[j] /= n;
  const std = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) std[j] += (codes[i * k + j] - mean[j]) ** 2;
  for (let j = 0; j < k; j++) std[j] = Math.sqrt(std[j] / Math.max(n - 1, 1));
  const v = { at: performance.now(), dims: k, projection: k <= 2 ? 'none' : 'pca', codeMean: mean, codeStd: std };
  if (k > 2) Object.assign(v, pca(codes, k, n, mean, previous?.dims === k ? previous.components : null));
  return v;
}

/**
 * The top two principal directions of n codes (k dims) by power iteration
 * with deflation on the k×k covariance. Signs follow the previous basis so the
 * plot does not flip as training refreshes it.
 */
function pca(codes, k, n, mean, previous) {
  const cov = new Float64Array(k * k);
  const d = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) d[j] = codes[i * k + j] - mean[j];
    for (let a = 0; a < k; a++) {
      const da = d[a];
      for (let b = a; b < k; b++) cov[a * k + b] += da * d[b];
    }
  }
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      cov[a * k + b] /= Math.max(n - 1, 1);
      cov[b * k + a] = cov[a * k + b];
    }
  }
  let total = 0;
  for (let a = 0; a < k; a++) total += cov[a * k + a];
  const components = new Float32Array(2 * k);
  const variance = [0, 0];
  for (let c = 0; c < 2; c++) {
    // Start from the previous component (fast convergence, stable orientation),
    // else from a fixed, generic vector.
    let v = new Float64Array(k);
    for (let j = 0; j < k; j++) v[j] = previous ? previous[c * k + j] : 1 + j / k;
    let lambda = 0;
    for (let it = 0; it < 500; it++) {
      const w = new Float64Array(k);
      for (let a = 0; a < k; a++) {
        let s = 0;
        for (let b = 0; b < k; b++) s += cov[a * k + b] * v[b];
        w[a] = s;
      }
      const norm = Math.hypot(...w);
      if (norm === 0) break;
      for (let j = 0; j < k; j++) w[j] /= norm;
      let change = 0;
      for (let j = 0; j < k; j++) change += Math.abs(w[j] - v[j]);
      v = w;
      lambda = norm;
      if (change < 1e-10) break;
    }
    const norm = Math.hypot(...v) || 1;
    for (let j = 0; j < k; j++) v[j] /= norm;
    let sign = 1;
    if (previous) {
      let dot = 0;
      for (let j = 0; j < k; j++) dot += v[j] * previous[c * k + j];
      sign = dot < 0 ? -1 : 1;
    } else {
      let big = 0;
      for (let j = 0; j < k; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
      sign = v[big] < 0 ? -1 : 1;
    }
    for (let j = 0; j < k; j++) components[c * k + j] = sign * v[j];
    variance[c] = lambda;
    // Deflate: remove this direction so the next iteration finds the second.
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) cov[a * k + b] -= lambda * v[a] * v[b];
  }
  return { mean: Float32Array.from(mean), components, variance, explained: total > 0 ? (variance[0] + variance[1]) / total : 0 };
}

/** Codes (n×k) -> plot coordinates (n×2). */
function project(v, codes, n) {
  const k = v.dims;
  const xy = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    if (v.projection === 'none') {
      xy[2 * i] = codes[i * k];
      xy[2 * i + 1] = k > 1 ? codes[i * k + 1] : 0;
    } else {
      let x = 0;
      let y = 0;
      for (let j = 0; j < k; j++) {
        const c = codes[i * k + j] - v.mean[j];
        x += v.components[j] * c;
        y += v.components[k + j] * c;
      }
      xy[2 * i] = x;
      xy[2 * i + 1] = y;
    }
  }
  return xy;
}

/** Posterior std along the plot's axes: √(Σ_j c_j² σ_j²) for a diagonal q(z|x). */
function projectStd(v, logvar, n) {
  const k = v.dims;
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    for (let axis = 0; axis < 2; axis++) {
      if (v.projection === 'none') {
        out[2 * i + axis] = axis < k ? Math.exp(0.5 * logvar[i * k + axis]) : 0;
      } else {
        let s = 0;
        for (let j = 0; j < k; j++) s += v.components[axis * k + j] ** 2 * Math.exp(logvar[i * k + j]);
        out[2 * i + axis] = Math.sqrt(s);
      }
    }
  }
  return out;
}

/** Plot coordinates (n×2) -> codes (n×k): the inverse on the plotted plane. */
function unproject(v, xy, n) {
  const k = v.dims;
  const z = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const x = xy[2 * i];
    const y = xy[2 * i + 1];
    if (v.projection === 'none') {
      z[i * k] = x;
      if (k > 1) z[i * k + 1] = y;
    } else {
      for (let j = 0; j < k; j++) z[i * k + j] = v.mean[j] + x * v.components[j] + y * v.components[k + j];
    }
  }
  return z;
}

function onReconstruct(msg) {
  const pixels = asF32(msg.pixels, 'pixels');
  const n = Math.floor(pixels.length / pg.input);
  const labels = labelsFor(n, msg.label);
  const code = pg.encode(pixels, labels);
  const logvar = pg.encode_logvar(pixels, labels) ?? null;
  const out = pg.kind === 'classifier' ? new Float32Array(0) : pg.reconstruct(pixels, labels);
  const v = currentView();
  const xy = v ? project(v, code, n) : null;
  const xyStd = v && logvar ? projectStd(v, logvar, n) : null;
  const transfer = [out.buffer, code.buffer];
  if (logvar) transfer.push(logvar.buffer);
  if (xy) transfer.push(xy.buffer);
  if (xyStd) transfer.push(xyStd.buffer);
  post({ type: 'reconstruction', id: msg.id, pixels: out, code, logvar, xy, xyStd }, transfer);
}

// The plotted test images as bytes, kept per dataset for retrieval replies.
let pool = { data: null, pixels: null, labels: null };

function onNeighbours(msg) {
  const v = currentView();
  if (!v) throw new Error('the dataset is not loaded yet');
  const pixels = asF32(msg.pixels, 'pixels');
  if (pixels.length !== pg.input) throw new Error(`neighbours takes one image of ${pg.input} pixels`);
  const k = Math.max(1, Math.min(Math.floor(Number(msg.k ?? 8)) || 8, 32, v.limit));
  const code = pg.encode(pixels, labelsFor(1, msg.label));
  const dims = pg.latent;
  const dist = new Float32Array(v.limit);
  for (let i = 0; i < v.limit; i++) {
    let d = 0;
    for (let j = 0; j < dims; j++) d += (v.codes[i * dims + j] - code[j]) ** 2;
    dist[i] = Math.sqrt(d);
  }
  const order = Array.from(dist.keys()).sort((a, b) => dist[a] - dist[b]).slice(0, k);
  if (pool.data !== data || pool.labels.length < v.limit) pool = { data, pixels: data.test_pixels(v.limit), labels: data.test_labels(v.limit) };
  const size = pg.input;
  const out = new Float32Array(k * size);
  order.forEach((idx, r) => {
    for (let p = 0; p < size; p++) out[r * size + p] = pool.pixels[idx * size + p] / 255;
  });
  const labels = Uint8Array.from(order, (i) => pool.labels[i]);
  const indices = Uint32Array.from(order);
  const distances = Float32Array.from(order, (i) => dist[i]);
  post({ type: 'neighbours', id: msg.id, pixels: out, labels, indices, distances }, [out.buffer, labels.buffer, indices.buffer, distances.buffer]);
}

function onLatent(msg) {
  if (!data) throw new Error('the dataset is not loaded yet');
  const limit = Math.max(1, Math.min(Math.floor(Number(msg.limit ?? LATENT_LIMIT)) || LATENT_LIMIT, data.test_len));
  const v = currentView(true);
  const codes = limit === v.limit ? v.codes : pg.encode_test(data, limit);
  const xy = project(v, codes, limit);
  const labels = data.test_labels(limit);
  const reply = { type: 'latent', id: msg.id, xy, labels, dims: v.dims, projection: v.projection, step: pg.step };
  if (v.projection === 'pca') reply.pca = { mean: v.mean, components: v.components, variance: v.variance, explained: v.explained };
  const transfer = [xy.buffer, labels.buffer];
  if (msg.withImages) {
    reply.images = data.test_pixels(limit);
    transfer.push(reply.images.buffer);
  }
  post(reply, transfer);
}

function postDecoded(id, pixels, n, xy) {
  const transfer = [pixels.buffer];
  const msg = { type: 'decoded', id, pixels, n };
  if (xy) {
    msg.xy = xy;
    transfer.push(xy.buffer);
  }
  post(msg, transfer);
}

function onDecode(msg) {
  let z;
  let n;
  if (msg.z !== undefined) {
    z = asF32(msg.z, 'z');
    n = Math.floor(z.length / pg.latent);
  } else if (msg.xy !== undefined) {
    const xy = asF32(msg.xy, 'xy');
    if (xy.length === 0 || xy.length % 2 !== 0) throw new Error(`xy needs pairs of numbers, got ${xy.length}`);
    const v = currentView() ?? { dims: pg.latent, projection: pg.latent <= 2 ? 'none' : 'pca' };
    if (v.projection === 'pca' && !v.components) throw new Error('the dataset is not loaded yet: no projection to map xy back through');
    n = xy.length / 2;
    z = unproject(v, xy, n);
  } else {
    throw new Error('decode needs z or xy');
  }
  const labels = msg.labels !== undefined ? Uint8Array.from(msg.labels) : new Uint8Array(0);
  postDecoded(msg.id, pg.decode(z, labels), n);
}

function onSample(msg) {
  const n = Math.floor(Number(msg.n));
  if (!(n >= 1 && n <= 1000)) throw new Error(`sample needs n between 1 and 1000, got ${msg.n}`);
  const labels = labelsFor(n, msg.label);
  let mean = new Float32Array(0);
  let std = new Float32Array(0);
  if (!pg.variational) {
    const v = currentView();
    if (v) {
      mean = Float32Array.from(v.codeMean);
      std = Float32Array.from(v.codeStd);
    }
  }
  postDecoded(msg.id, pg.sample(n, labels, mean, std), n);
}

/** Φ⁻¹(p): the standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9). */
function normalQuantile(p) {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

function onManifold(msg) {
  const n = Math.floor(Number(msg.n));
  if (!(n >= 1 && n <= 50)) throw new Error(`manifold needs n between 1 and 50, got ${msg.n}`);
  const k = pg.latent;
  const v = currentView();
  // Centre and spread of the grid along the plot's two axes.
  let centre = [0, 0];
  let spread = [1, 1];
  if (v?.projection === 'pca') {
    spread = [Math.sqrt(v.variance[0]), Math.sqrt(v.variance[1])];
  } else if (v && !(pg.variational && k <= 2)) {
    centre = [v.codeMean[0], k > 1 ? v.codeMean[1] : 0];
    spread = [v.codeStd[0], k > 1 ? v.codeStd[1] : 0];
  }
  // With one latent dimension the n² images walk along it in reading order.
  const q = (i, m) => normalQuantile((i + 0.5) / m);
  const xy = new Float32Array(2 * n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const i = r * n + c;
      if (k === 1) {
        xy[2 * i] = centre[0] + spread[0] * q(i, n * n);
      } else {
        xy[2 * i] = centre[0] + spread[0] * q(c, n);
        xy[2 * i + 1] = centre[1] + spread[1] * q(n - 1 - r, n);
      }
    }
  }
  const z = unproject(v ?? { dims: k, projection: 'none' }, xy, n * n);
  postDecoded(msg.id, pg.decode(z, labelsFor(n * n, msg.label)), n * n, xy);
}

function onClasses(msg) {
  if (!pg.conditional) throw new Error('only a conditional VAE (cvae) decodes one code with each label');
  const pixels = asF32(msg.pixels, 'pixels');
  const z = pg.encode(pixels, labelsFor(1, msg.label ?? 0));
  const k = pg.latent;
  if (z.length !== k) throw new Error(`classes takes one image (${pg.input} pixels), got ${pixels.length} numbers`);
  const zs = new Float32Array(10 * k);
  const labels = new Uint8Array(10);
  for (let l = 0; l < 10; l++) {
    zs.set(z, l * k);
    labels[l] = l;
  }
  postDecoded(msg.id, pg.decode(zs, labels), 10);
}

function onInterpolate(msg) {
  const steps = Math.floor(Number(msg.steps));
  if (!(steps >= 2 && steps <= 100)) throw new Error(`interpolate needs steps between 2 and 100, got ${msg.steps}`);
  const a = asF32(msg.a, 'a');
  const b = asF32(msg.b, 'b');
  if (a.length !== pg.input || b.length !== pg.input) throw new Error(`interpolate takes two images of ${pg.input} pixels, got ${a.length} and ${b.length}`);
  const both = new Float32Array(2 * pg.input);
  both.set(a);
  both.set(b, pg.input);
  const k = pg.latent;
  const ends = pg.encode(both, labelsFor(2, msg.label));
  const z = new Float32Array(steps * k);
  for (let s = 0; s < steps; s++) {
    const t = s / (steps - 1);
    for (let j = 0; j < k; j++) z[s * k + j] = (1 - t) * ends[j] + t * ends[k + j];
  }
  postDecoded(msg.id, pg.decode(z, labelsFor(steps, msg.label)), steps);
}
