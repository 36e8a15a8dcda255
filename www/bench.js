// Training throughput of the wasm core on real MNIST, for the README's table
// and scripts/bench-wasm.mjs. This one file is both the page script (it
// starts itself as a module worker and shows the figures) and the worker
// (it trains): timing in a worker is what the playground does, away from
// the page's rendering.
//
// bench.html?seconds=4  — timed seconds per model (after a warm-up)

import init, { MnistData, Playground } from './pkg/ae_playground.js';
import { loadDataset } from './dataset.js';

/** The reference models (Adam, lr 1e-3): the playground's defaults and Kingma & Welling's VAE. */
export const MODELS = [
  {
    name: 'AE 784-512-256-2 (ReLU, linear code, Bernoulli), batch 64',
    model: { kind: 'ae', input: 784, hidden: [512, 256], latent: 2, activation: 'relu', decoder: 'bernoulli' },
    train: { optimizer: 'adam', lr: 1e-3, batch: 64, seed: 1 },
  },
  {
    name: 'VAE 784-400-20 (ReLU, Bernoulli), batch 128',
    model: { kind: 'vae', input: 784, hidden: [400], latent: 20, activation: 'relu', decoder: 'bernoulli' },
    train: { optimizer: 'adam', lr: 1e-3, batch: 128, seed: 1 },
  },
];

const WARMUP_BATCHES = 5;

/** Multiply–adds of one forward pass per sample, from the layer widths. */
function macs(m) {
  const cond = m.kind === 'cvae' ? 10 : 0;
  const variational = m.kind === 'vae' || m.kind === 'cvae';
  const enc = [m.input + cond, ...m.hidden, variational ? 2 * m.latent : m.latent];
  const dec = [m.latent + cond, ...[...m.hidden].reverse(), m.input];
  let n = 0;
  for (const sizes of [enc, dec]) for (let i = 0; i + 1 < sizes.length; i++) n += sizes[i] * sizes[i + 1];
  return n;
}

async function runInWorker(seconds) {
  await init();
  const files = await loadDataset('mnist', () => {}, new URL('./', import.meta.url));
  const data = new MnistData(files[0], files[1], files[2], files[3]);
  const results = [];
  for (const m of MODELS) {
    const pg = new Playground(JSON.stringify(m.model), JSON.stringify(m.train));
    pg.train(data, WARMUP_BATCHES); // first-touch allocations and JIT tier-up
    // Chunks of a few batches, as the worker's time slices run them.
    let batches = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 1000 * seconds) {
      pg.train(data, 4);
      batches += 4;
    }
    const ms = performance.now() - t0;
    const t1 = performance.now();
    pg.evaluate_test(data);
    const evalMs = performance.now() - t1;
    results.push({
      name: m.name,
      params: pg.params,
      batches,
      samplesPerSec: (batches * m.train.batch * 1000) / ms,
      // Forward is 2·MACs flops, backward twice that (input and weight gradients).
      gflops: (6 * macs(m.model) * batches * m.train.batch) / ms / 1e6,
      msPerBatch: ms / batches,
      testEvalMs: evalMs,
      testImagesPerSec: (data.test_len * 1000) / evalMs,
    });
    pg.free();
    self.postMessage({ type: 'partial', results });
  }
  data.free();
  return { simd: Playground.simd(), userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency, results };
}

function runPage() {
  const out = document.getElementById('out');
  const seconds = Math.min(Math.max(Number(new URLSearchParams(location.search).get('seconds')) || 4, 0.5), 60);
  const show = (results) => {
    out.textContent = results.map((r) => `${r.name}\n  ${r.samplesPerSec.toFixed(0)} samples/s, ${r.gflops.toFixed(2)} GFLOP/s (${r.msPerBatch.toFixed(1)} ms/batch, ${r.params} params); test set: ${r.testImagesPerSec.toFixed(0)} images/s\n`).join('\n');
  };
  out.textContent = `loading MNIST, then ${seconds} s per model…`;
  const worker = new Worker(new URL('./bench.js', import.meta.url), { type: 'module' });
  worker.postMessage({ seconds });
  worker.onmessage = (e) => {
    const d = e.data;
    if (d.type === 'partial') show(d.results);
    if (d.type === 'done') {
      show(d.report.results);
      out.textContent += `\nsimd128: ${d.report.simd}\n${d.report.userAgent}`;
      window.benchResult = d.report;
    }
    if (d.type === 'error') {
      out.textContent = 'error: ' + d.message;
      window.benchResult = { error: d.message };
    }
  };
  worker.onerror = (e) => {
    out.textContent = 'worker failed: ' + e.message;
    window.benchResult = { error: e.message };
  };
}

if (typeof window === 'undefined') {
  self.onmessage = (e) =>
    runInWorker(e.data.seconds)
      .then((report) => self.postMessage({ type: 'done', report }))
      .catch((err) => self.postMessage({ type: 'error', message: err?.message ?? String(err) }));
} else {
  runPage();
}
