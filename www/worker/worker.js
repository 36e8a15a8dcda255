// The training worker: owns the model, the datasets and the training loop.
// The page owns the pixels; it never touches wasm. Started as
//   new Worker('worker/worker.js', {type: 'module'})
// It loads the best build of the core the browser supports (wasm-build.js);
// `worker.js?build=threads|relaxed|simd|plain` forces one, for tests and benchmarks.
// The threaded build splits each GEMM over up to `threads` threads (helper
// workers, thread-pool.js); `worker.js?threads=N` sets the first count,
// by default half the cores, or all but one while a second worker evaluates
// beside training (thread-pool.js defaultThreads; at most 4). Results are the same bits for every
// count (src/threads.rs), so the count is not part of a run's settings.
// With a second core, test figures and the latent space's answers while
// training runs come from a second worker on a snapshot of the weights
// (evaluator.js, evaluation-worker.js), started when training first runs: a
// visit that only draws never pays for it. `worker.js?beside=0` does both
// here in turns instead.
//
// PROTOCOL (typed arrays travel as transferred buffers). Every message may
// carry an `id`; the reply to it (including an error) carries the same `id`.
// This file handles the messages below; the module that answers the others
// documents them at its top:
//   latent-space.js     reconstruct, latent, decode, sample, corrupt, manifold, classes,
//                       interpolate, neighbours, prior: the latent space
//   worker-files.js     autosave, snapshot, export, import: model files and autosave
//   worker-probes.js    probe: the lessons' measurements
//   own-training.js     own: one's own images in what training reads
// and worker-training.js documents what the training loop posts: progress,
// test, evaluating, diverged. Each gets what it uses of this file as
// arguments (its constructor or function lists them); messages.js holds what
// the handlers share (a request's arrays and seed, an error's words), and
// they import it.
//
// main -> worker
//   init {id?, model: ModelConfig, train: {optimizer, lr, batch, seed, disc_lr, gen_steps}, dataset: a name of the settings table's dataset choices, test = true}
//        (Re)builds the model, loads the dataset if it is not the loaded one,
//        replies `ready`, stays paused, then evaluates the untrained model (`test`);
//        with test: false it does not (a lesson's side, which measures its own figures).
//        A bad config replies error{where:'init'} and keeps the current model;
//        a failed download replies error{where:'data'}: send init again to retry.
//   play {id?} | pause {id?}   Start / stop training -> state {id, running}.
//                              Pausing evaluates the test set.
//   step {id?, n, test = true}  Pauses, trains n batches, then posts progress and
//                           test {id, ...} (the test figures after the n batches);
//                           with test: false, progress and stepped {id, step}
//                           instead, no evaluation (compare mode's lockstep rounds).
//                           A pause before the n batches are done answers the step
//                           at once: stepped {id, step, cut: true}.
//   reset {id?}             Rebuilds with the same config and seed -> ready {id} (+ test).
//   threads {id?, n}   GEMMs use up to n threads (1–4) from the next batch on; the
//        first n > 1 starts the helper threads. -> threads {id, n, max, why}.
//        Only the threaded build can; the others stay at 1 and say why.
//   set_lr {lr}            The learning rate from the next batch on; the model and the
//        optimiser's moments stay (the page's learning-rate field). error{where:'request'} if out of range.
//   count_params {id, model: ModelConfig} -> params {id, params}   the size of a model
//        before building it, so the page can warn before a slow one.
//   classify {id, pixels: Float32Array(784)}   (CVAE only, else error)
//        -> classified {id, probs: Float32Array(10), progress}   the drawing's class
//        probabilities from a classifier trained in the background on the loaded
//        data set (progress: the fraction of its training done, 0–1).
//
// worker -> main
//   ready {id, build, simd, threads: {n, max, why}, model, train, dataset, params, maxFileBytes, ownClasses}
//        (ownClasses: the names of labels 10, 11, … when a CVAE was built with one's own classes, else null)
//        (model/train with defaults filled in; build: the core build running, its folder
//        under pkg/ (the page asks the service worker to keep it offline); simd: what it
//        uses, 'relaxed-simd' | 'simd128' | 'none'; threads: the threads GEMMs use, the most
//        this page can use (4 with the threaded build, else 1) and, when that is 1, why
//        ('this page is not cross-origin isolated', …; null otherwise); maxFileBytes: the
//        largest model file the core opens, io::MAX_FILE_BYTES)
//   threads {id?, n, max, why}   the answer to `threads`, as in ready.
//   load {dataset, phase: 'download'|'decode', loaded, total, file}   bytes, at most ~10/s
//        per file; a last {phase: 'decode', file: 'all'} while wasm decodes the images.
//   state {id?, running}   (id when it answers play or pause)
//   error {where: 'data'|'init'|'import'|'request'|'train', message, id?, request?}
//        `request` names the message type that failed, `id` echoes its id.
//   crashed {message}
//        The wasm core trapped (out of memory, or a panic validation missed):
//        the instance is unusable and the worker answers nothing more; the
//        page starts a new one and imports the model it had before an import
//        that trapped, or after a trap while training the newest autosave
//        snapshot of the same settings (saved-run.js), if any.

import { loadCore } from './wasm-build.js';
import { loadDataset } from './dataset-download.js';
import { datasetFacts } from '../shared/run-settings.js';
import { BackgroundClassifier } from './background-classifier.js';
import { answerProbe } from './worker-probes.js';
import { LatentViews } from './latent-space.js';
import { ModelFiles } from './worker-files.js';
import { asF32, errorText, seedOf } from './messages.js';
import { Evaluator } from './evaluator.js';
import { OwnTraining } from './own-training.js';
import { TrainingLoop } from './worker-training.js';
import { MAX_THREADS, defaultThreads, startPool } from './thread-pool.js';

// The best build of the core this browser validates (wasm-build.js);
// tests and benchmarks force one with `worker.js?build=plain|simd|relaxed`.
// Every use of these classes waits for wasmReady.
let MnistData, Playground, core;
const wasmReady = loadCore().then((c) => ({ MnistData, Playground } = core = c));
// For scripts/soak-page.mjs (Playwright evaluates it in this worker): the
// wasm memory's size in bytes, which grows and never shrinks. Not a message:
// the page has no use for it.
self.wasmMemoryBytes = () => core?.memory?.buffer.byteLength ?? null;
// For tests/web/threads.test.mjs: GEMMs split over threads so far (the threaded build only).
self.splitGemms = () => core?.split_gemms?.() ?? null;
// For tests/web/worker.test.mjs: slices that ran after a trap and did nothing.
self.haltedTicks = () => loop.haltedTicks;

let pg = null; // Playground: the model and its trainer
let data = null; // MnistData of `dataName`
let dataName = null;
let loading = null; // {name, promise} while a dataset downloads
let wantedData = null; // the dataset the latest init asked for
let generation = 0; // bumps when the model is replaced; stale async work checks it
let simd = 'none'; // the build running: 'relaxed-simd' | 'simd128' | 'none'
let pool = null; // promise of the helper threads' start, once more than one thread was asked for
let threads = null; // promise of {n, max, why}: what GEMMs use now
let clf = null; // BackgroundClassifier while a CVAE is the model: proposes the drawing's label
let judge = null; // BackgroundClassifier that reads samples for the `judge` probe, trained on first use
let dead = false; // the core trapped: nothing more is answered
let evaluator = null; // Evaluator: the test set evaluated beside training, once training has run (besideEvaluator)
let evaluatorRefused = false; // this browser cannot start a worker from a worker: evaluation stays in turns
let testIdx = null; // {images, labels, binary}: the test set's IDX bytes, for the evaluation worker

function post(msg, transfer = []) {
  self.postMessage(msg, transfer);
}

// The other modules read the model, data, core, label classifier and
// generation through these functions, as they are when read: init, import
// and a new dataset replace them.
const model = () => pg;
const files = new ModelFiles({ model, dataName: () => dataName, post }); // export, import and autosave snapshots
// The latent space's requests and the latent plot's view.
const views = new LatentViews({ model, data: () => data, LatentView: () => core.LatentView, post });
// Training and evaluation in time slices.
// One's own images, mixed into what training reads (or alone).
const own = new OwnTraining({ model, data: () => (data && dataName === wantedData ? data : null), binary: () => datasetFacts(dataName).binary, post });
const loop = new TrainingLoop({ model, data: () => data, trainData: () => own.data ?? data, dataName: () => dataName, classifier: () => clf, generation: () => generation, post, trapped, files, evaluator: besideEvaluator });

self.onmessage = (ev) => {
  if (dead) return;
  const msg = ev.data || {};
  handle(msg).catch(reportError(msg));
};

/** What to do with an error while answering `msg`: an error reply, or `crashed` for a trap. */
function reportError(msg) {
  return (e) => {
    if (trapped(e)) return;
    const where = msg.type === 'init' ? 'init' : msg.type === 'import' ? 'import' : 'request';
    post({ type: 'error', where, message: errorText(e), id: msg.id, request: msg.type });
  };
}

/**
 * A latent-space request: while training runs, answered by the evaluation
 * worker on a snapshot (its reply says which batch), so training does not
 * wait for it; otherwise here, on the model as it is.
 */
async function answerView(msg) {
  if (!pg) throw new Error('the model is not ready yet');
  // The snapshot's file has no training settings: the training seed, the default of a request's seed, goes with it.
  if (loop.running && evaluator && evaluator.view(views.forwarded({ ...msg, seed: msg.seed ?? seedOf(pg) }), { step: pg.step, gen: generation })) return;
  views.answer(msg);
}

/**
 * A wasm trap (out of memory, or a panic that validation missed) leaves the
 * instance unusable (wasm-bindgen's objects stay borrowed, its memory stays
 * grown). Say so with `crashed` and answer nothing more, rather than answer
 * from a broken core; the page starts a new worker.
 */
function trapped(e) {
  if (!(e instanceof WebAssembly.RuntimeError)) return false;
  dead = true;
  loop.halt();
  post({ type: 'crashed', message: `the wasm core stopped (${e.message})` });
  return true;
}

async function handle(msg) {
  switch (msg.type) {
    case 'init':
      return onInit(msg);
    case 'reset':
      if (!pg) throw new Error('no model yet: send init first');
      return onInit({ id: msg.id, model: JSON.parse(pg.model_config_json()), train: JSON.parse(pg.train_config_json()), dataset: dataName ?? 'mnist' });
    case 'play':
      requireReady();
      return loop.play(msg.id);
    case 'pause':
      return loop.pause(msg.id);
    case 'step': {
      requireReady();
      const n = Math.floor(Number(msg.n));
      if (!(n >= 1 && n <= 1e6)) throw new Error(`step needs n between 1 and 1000000, got ${msg.n}`);
      return loop.step(msg.id, n, msg.test === false);
    }
    case 'threads':
      return post({ type: 'threads', id: msg.id, ...(await setThreads(msg.n)) });
    case 'set_lr':
      if (!pg) throw new Error('the model is not ready yet');
      pg.set_learning_rate(Number(msg.lr));
      files.unsaved = true;
      if (!loop.busy) files.snapshotIfChanged();
      return;
    case 'autosave':
      files.autosave = Boolean(msg.on);
      return;
    case 'snapshot':
      return files.answerSnapshot(msg.id);
    case 'own':
      return own.answer(msg);
    case 'classify':
      if (!pg?.conditional || !clf) throw new Error('a label is proposed only for a conditional VAE (cvae)');
      return onClassify(msg);
    case 'count_params':
      await wasmReady;
      return post({ type: 'params', id: msg.id, params: Playground.param_count(JSON.stringify(msg.model ?? {})) });
    case 'export':
      return files.exportModel(msg);
    case 'import':
      return onImport(msg);
  }
  // Requests about the current model.
  if (!pg) throw new Error('the model is not ready yet');
  if (views.answers(msg.type)) return answerView(msg);
  if (msg.type === 'probe') return onProbe(msg);
  throw new Error(`unknown message type “${msg.type}”`);
}

function requireReady() {
  if (!pg) throw new Error('the model is not ready yet');
  if (!data || dataName !== wantedData) throw new Error('the dataset is not loaded yet');
}

// ---------------------------------------------------------------- model lifecycle

async function onInit(msg) {
  const gen = ++generation;
  loop.stop();
  simd = (await wasmReady, Playground.simd());
  const threadsNow = await (threads ??= setThreads(Number(new URL(self.location.href).searchParams.get('threads')) || defaultThreads(undefined, besideWanted())));
  let next;
  const model = own.withClasses(msg.model ?? {});
  try {
    next = new Playground(JSON.stringify(model), JSON.stringify(msg.train ?? {}));
  } catch (e) {
    post({ type: 'error', where: 'init', message: errorText(e) });
    return;
  }
  if (gen !== generation) return next.free();
  replaceModel(next);
  own.built(model);
  const name = msg.dataset ?? 'mnist';
  try {
    await ensureData(name);
  } catch (e) {
    if (gen === generation) post({ type: 'error', where: 'data', message: errorText(e) });
    return;
  }
  if (gen !== generation) return;
  pg.init_output(data);
  startClassifier();
  own.keep();
  const maxFileBytes = Playground.max_file_bytes();
  post({ type: 'ready', id: msg.id, build: core.build, simd, threads: threadsNow, model: JSON.parse(pg.model_config_json()), train: JSON.parse(pg.train_config_json()), dataset: dataName, params: pg.params, maxFileBytes, ownClasses: own.names });
  if (msg.test !== false) loop.evaluate();
}

/**
 * GEMMs use up to `n` threads from the next one on; resolves to {n, max, why}.
 * The count changes speed only: the core's results are the same bits for
 * every count, so a running model simply goes on.
 */
async function setThreads(n) {
  await wasmReady;
  n = Math.floor(Number(n));
  if (!(n >= 1 && n <= MAX_THREADS)) throw new Error(`threads must be a whole number from 1 to ${MAX_THREADS}, got ${n}`);
  if (core.build !== 'threads') return (threads = Promise.resolve({ n: 1, max: 1, why: core.threadsWhy }));
  if (n > 1) {
    try {
      await (pool ??= startPool(core));
    } catch (e) {
      // The core goes on with one thread; the page says why.
      return (threads = Promise.resolve({ n: core.set_threads(1), max: 1, why: `the helper threads did not start (${errorText(e)})` }));
    }
  }
  const now = { n: core.set_threads(n), max: MAX_THREADS, why: null };
  threads = Promise.resolve(now);
  return now;
}

/** Whether test figures while running are computed beside training: with a second core, unless `worker.js?beside=0` (tests, benchmarks). */
function besideWanted() {
  return new URL(self.location.href).searchParams.get('beside') !== '0' && (navigator.hardwareConcurrency ?? 1) >= 2;
}

/**
 * The evaluation worker (evaluator.js), started the first time figures are
 * due while training runs, so training does not pause for them; null on one
 * core, with `?beside=0`, or before a dataset is loaded: then they are
 * computed here in turns, as before.
 */
function besideEvaluator() {
  if (evaluator || evaluatorRefused || !testIdx || !besideWanted()) return evaluator;
  try {
    evaluator = new Evaluator(core.build, {
      snapshot: () => ({ bytes: pg.save_weights(), step: pg.step, epoch: pg.epoch, gen: generation }),
      onFigures: (taken, figures, ms) => loop.besideFigures(taken, figures, ms),
      onView: (reply, buffers) => {
        views.drawnThere(reply);
        post({ ...reply, beside: true }, buffers);
      },
      onIdle: () => loop.besideIdle(),
      onFailed: (requests) => {
        loop.besideFailed();
        for (const request of requests) answerView(request).catch(reportError(request));
      },
    });
    evaluator.setData(testIdx.images, testIdx.labels, testIdx.binary);
  } catch {
    evaluatorRefused = true; // a browser without workers in workers
    evaluator = null;
  }
  return evaluator;
}

function replaceModel(next) {
  pg?.free();
  pg = next;
  views.reset();
  files.unsaved = false;
  loop.newModel();
  post({ type: 'state', running: false });
}

async function ensureData(name) {
  datasetFacts(name); // throws for a name the table does not know
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
  const idx = await loadDataset(name, (p) => post({ type: 'load', dataset: name, ...p }));
  if (wantedData !== name) throw new Error(`the ${name} dataset is no longer wanted`); // a newer init asked for another
  // Checking and copying 70,000 images into wasm takes a moment.
  post({ type: 'load', dataset: name, phase: 'decode', loaded: 1, total: 1, file: 'all' });
  // Free the other dataset first: each takes ~55 MB as bytes, and
  // wasm memory, once grown, never shrinks.
  own.drop();
  data?.free();
  data = null;
  dataName = null;
  clf?.free();
  clf = null;
  judge?.free();
  judge = null;
  data = new MnistData(idx[0], idx[1], idx[2], idx[3]);
  if (datasetFacts(name).binary) data.binarise();
  testIdx = { images: idx[2], labels: idx[3], binary: datasetFacts(name).binary };
  evaluator?.setData(testIdx.images, testIdx.labels, testIdx.binary);
  dataName = name;
  views.drop();
}

async function onImport(msg) {
  await wasmReady;
  const adopt = (next) => {
    generation++;
    loop.stop();
    replaceModel(next);
  };
  const adopted = files.importModel(msg, { Playground, data, adopt });
  if (adopted && data) {
    startClassifier();
    own.keep();
    loop.evaluate();
  }
}

/** A CVAE needs a label for each drawing: train a classifier to propose one (once per data set). */
function startClassifier() {
  if (!pg?.conditional || !data) return;
  if (clf && clf.dataName === dataName) return loop.schedule();
  clf?.free();
  clf = new BackgroundClassifier(Playground, dataName);
  loop.schedule();
}

function onClassify(msg) {
  const pixels = asF32(msg.pixels, 'pixels');
  if (pixels.length !== pg.input) throw new Error(`classify takes one image of ${pg.input} pixels, got ${pixels.length} numbers`);
  const { probs, progress } = clf.classify(pixels);
  post({ type: 'classified', id: msg.id, probs, progress }, [probs.buffer]);
}

// ---------------------------------------------------------------- the lessons' measurements

function onProbe(msg) {
  const [fields, transfer] = answerProbe(msg, { pg, data, core, currentView: (fresh) => views.current(fresh), judgeClassifier });
  post({ type: 'probed', id: msg.id, what: msg.what, ...fields }, transfer);
}

/** The classifier that judges samples, trained to the end the first time it is asked (a few seconds). */
function judgeClassifier() {
  if (!data) throw new Error('the dataset is not loaded yet');
  if (!judge || judge.dataName !== dataName) {
    judge?.free();
    judge = new BackgroundClassifier(Playground, dataName);
  }
  while (judge.slice(data, 1000));
  return judge;
}
