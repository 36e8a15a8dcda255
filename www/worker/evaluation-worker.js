// The evaluation worker: evaluates the test set on a snapshot of the
// weights, beside training, so training never pauses for it (issue 23).
// Started by the training worker (evaluator.js) as
//   new Worker('evaluation-worker.js?build=<the training worker's build>', {type: 'module'})
// with the same build of the core, so its figures are the bits the training
// worker would have computed at that batch. It holds the test set only.
//
// training worker -> here
//   data {images: Uint8Array, labels: Uint8Array (IDX bytes of the test set), binary}
//   evaluate {bytes: Uint8Array (Playground.save_weights: the weights at one batch)}
// here -> training worker
//   evaluated {figures (the core's evaluate_test object), ms}
//   failed {message}     after which the training worker evaluates in place again
import { loadCore } from './wasm-build.js';
import { errorText } from './messages.js';

const ready = loadCore();
let data = null; // MnistData: the test set as both of its sets (the core's type wants two)
let pg = null; // the last snapshot, freed when the next one comes

self.onmessage = async (ev) => {
  const msg = ev.data;
  try {
    const core = await ready;
    if (msg.type === 'data') {
      data?.free();
      data = new core.MnistData(msg.images, msg.labels, msg.images, msg.labels);
      if (msg.binary) data.binarise();
    } else if (msg.type === 'evaluate') {
      if (!data) throw new Error('no test set yet');
      const t0 = performance.now();
      pg?.free();
      pg = core.Playground.load(msg.bytes);
      const figures = pg.evaluate_test(data);
      self.postMessage({ type: 'evaluated', figures, ms: performance.now() - t0 }, [figures.klPerDim.buffer]);
    }
  } catch (e) {
    self.postMessage({ type: 'failed', message: errorText(e) });
  }
};
