// The evaluation worker: evaluates the test set, and answers the latent
// space's requests (latent-space.js), on a snapshot of the weights, beside
// training, so training never pauses for them (issue 23).
// Started by the training worker (evaluator.js) as
//   new Worker('evaluation-worker.js?build=<the training worker's build>', {type: 'module'})
// with the same build of the core, so its figures and pictures are the bits
// the training worker would have computed at that batch. It holds the test
// set only, and one snapshot: each new one replaces it.
//
// training worker -> here
//   data {images: Uint8Array, labels: Uint8Array (IDX bytes of the test set), binary}
//   evaluate {bytes: Uint8Array (Playground.save_weights: the weights at one batch), step, gen}
//   view {seq, request (a latent-space.js request, its seed filled in), bytes?, step, gen}
//        bytes: a newer snapshot to answer it (and what follows) on; without
//        them, the snapshot held now
// here -> training worker
//   evaluated {figures (the core's evaluate_test object), ms}
//   viewed {seq, reply, buffers}   reply: the page's answer (latent-space.js, or
//        an error {where: 'request'} as the training worker gives), labelled
//        with the snapshot's step; buffers: its transferred arrays
//   failed {message}     after which the training worker does both in place again
import { loadCore } from './wasm-build.js';
import { LatentViews } from './latent-space.js';
import { errorText } from './messages.js';

const ready = loadCore();
let core = null;
let data = null; // MnistData: the test set as both of its sets (the core's type wants two)
let held = null; // {pg, step, gen}: the last snapshot, freed when the next one comes
let answering = null; // the seq of the view request being answered

// For scripts/soak-page.mjs: this worker's wasm memory, which must stay bounded as snapshots come and go.
self.wasmMemoryBytes = () => core?.memory?.buffer.byteLength ?? null;

const views = new LatentViews({
  model: () => held.pg,
  data: () => data,
  LatentView: () => core.LatentView,
  step: () => held.step,
  post: (reply, buffers = []) => self.postMessage({ type: 'viewed', seq: answering, reply, buffers }, buffers),
});

/** Holds the snapshot in `msg.bytes`, if any; a new model's first snapshot drops the old model's plot. */
function hold(msg) {
  if (!msg.bytes) return;
  if (held?.gen !== msg.gen) views.reset();
  held?.pg.free();
  held = null;
  held = { pg: core.Playground.load(msg.bytes), step: msg.step, gen: msg.gen };
}

self.onmessage = async (ev) => {
  const msg = ev.data;
  try {
    core = await ready;
    if (msg.type === 'data') {
      data?.free();
      views.drop(); // the plot's codes are the old set's
      data = new core.MnistData(msg.images, msg.labels, msg.images, msg.labels);
      if (msg.binary) data.binarise();
    } else if (msg.type === 'evaluate') {
      if (!data) throw new Error('no test set yet');
      const t0 = performance.now();
      hold(msg);
      const figures = held.pg.evaluate_test(data);
      self.postMessage({ type: 'evaluated', figures, ms: performance.now() - t0 }, [figures.klPerDim.buffer]);
    } else if (msg.type === 'view') {
      hold(msg);
      answerView(msg.seq, msg.request);
    }
  } catch (e) {
    self.postMessage({ type: 'failed', message: errorText(e) });
  }
};

/** A view request answered as the training worker would: a bad request is an error reply to the page; a trap stops this worker. */
function answerView(seq, request) {
  answering = seq;
  try {
    if (!held) throw new Error('no snapshot yet');
    views.answer(request);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) throw e;
    const reply = { type: 'error', where: 'request', message: errorText(e), id: request.id, request: request.type };
    self.postMessage({ type: 'viewed', seq, reply, buffers: [] });
  } finally {
    answering = null;
  }
}
