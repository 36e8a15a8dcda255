// The wasm core check's page script (test-core.html): the functions
// tests/web/wasm-core.test.mjs and worker.test.mjs call. A file, not an
// inline script, so the page runs under the site's Content-Security-Policy.
import { loadCore } from '../worker/wasm-build.js';
import { loadDataset } from '../worker/dataset-download.js';

const out = document.getElementById('out');
out.textContent = 'idle';
// Loaded on first use, so tests/web/worker.test.mjs can host its workers here
// without this page fetching the dataset first. `?build=` picks the core's build.
let MnistData, Playground;
let loaded = null;
const ready = () => (loaded ??= loadCore().then((core) => ({ MnistData, Playground } = core)).then(() => loadDataset('mnist')));

/** FNV-1a (32-bit) of a safetensors file's data section, as the example computes it. */
function weightsChecksum(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = Number(view.getBigUint64(0, true));
  let h = 0x811c9dc5;
  for (let i = 8 + header; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h;
}

/** Named test figures in the example's order: [loss, recon, kl, penalty, accuracy, ...klPerDim]. */
function figures(e) {
  return [e.loss, e.recon, e.kl, e.penalty, e.accuracy, ...e.klPerDim];
}

/** Our GEMM against matrixmultiply's in this build (src/gemm/check.rs): cases compared. */
window.gemmCheck = async (seed) => {
  await ready();
  return Playground.gemm_check(seed);
};

/** Runs the example's cases: {train_images, steps, cases: [{name, model, train}]}. */
window.runFingerprint = async (spec) => {
  const files = await ready();
  const data = new MnistData(files[0], files[1], files[2], files[3]);
  data.limit_train(spec.train_images);
  const cases = [];
  for (const c of spec.cases) {
    const pg = new Playground(JSON.stringify(c.model), JSON.stringify(c.train));
    const init_checksum = weightsChecksum(pg.save(''));
    const initial = figures(pg.evaluate_test(data));
    const losses = [];
    for (let i = 0; i < spec.steps; i++) losses.push(pg.train(data, 1).loss);
    const final = figures(pg.evaluate_test(data));
    cases.push({ name: c.name, init_checksum, initial, losses, final, final_checksum: weightsChecksum(pg.save('')) });
    pg.free();
  }
  data.free();
  out.textContent = JSON.stringify(cases, null, 1);
  return { simd: Playground.simd(), cases };
};

/** Bad calls: each must throw a JS Error with a readable message, and leave the instance usable. */
window.runMisuse = async () => {
  const files = await ready();
  const pg = new Playground(JSON.stringify({ kind: 'vae', hidden: [16], latent: 2 }), '{}');
  const attempts = {
    'reconstruct 100 pixels': () => pg.reconstruct(new Float32Array(100), new Uint8Array(0)),
    'decode 3 numbers for a 2-d code': () => pg.decode(new Float32Array(3), new Uint8Array(0)),
    'encode with 2 labels for 1 image': () => pg.encode(new Float32Array(784), new Uint8Array(2)),
    'encode with label 12': () => pg.encode(new Float32Array(784), new Uint8Array([12])),
    'reconstruct NaN pixels': () => pg.reconstruct(new Float32Array(784).fill(NaN), new Uint8Array(0)),
    'sample 0 images': () => pg.sample(0, new Uint8Array(0), new Float32Array(0), new Float32Array(0), 1),
    'load 5 bytes as a model': () => Playground.load(new Uint8Array(5)),
    'bad model JSON': () => new Playground('{"kind": "gan"}', '{}'),
    'learning rate 0': () => new Playground('{}', '{"lr": 0}'),
    'labels file as images': () => new MnistData(files[1], files[1], files[2], files[3]),
  };
  const results = {};
  for (const [what, f] of Object.entries(attempts)) {
    try {
      f();
      results[what] = { threw: false };
    } catch (e) {
      results[what] = { threw: true, isError: e instanceof Error, name: e?.name, message: e?.message ?? String(e) };
    }
  }
  // Still alive after all that?
  const after = pg.reconstruct(new Float32Array(784).fill(0.5), new Uint8Array(0)).length;
  pg.free();
  return { results, after };
};
