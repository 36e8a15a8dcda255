// Training throughput of the wasm core on real MNIST, for the README's table
// and scripts/bench-wasm.mjs. This one file is both the page script (it
// starts itself as a module worker and shows the figures) and the worker
// (it trains): timing in a worker is what the playground does, away from
// the page's rendering.
//
// bench.html?seconds=4  — timed seconds per model (after a warm-up)
// bench.html?build=plain — a given build of the core (relaxed, simd, plain); default: the best supported
// bench.html?engine=tfjs — TensorFlow.js's wasm backend on the same models (bench-tfjs.js; needs vendor/)
// bench.html?build=threads&threads=2 — the threaded build with its GEMMs split over 2 threads
//   (needs a cross-origin isolated page; scripts/bench-wasm.mjs serves it so)

import { loadCore } from '../worker/wasm-build.js';
import { loadDataset } from '../worker/dataset-download.js';
import { MODELS, macs } from './bench-models.js';
import { startPool } from '../worker/thread-pool.js';

const WARMUP_BATCHES = 5;

async function runInWorker(seconds) {
  const core = await loadCore();
  const { MnistData, Playground } = core;
  const wanted = Number(new URL(self.location.href).searchParams.get('threads')) || 1;
  if (wanted > 1 && core.build !== 'threads') throw new Error(`${wanted} threads need the threaded build, which cannot run here: ${core.threadsWhy}`);
  if (wanted > 1) await startPool(core);
  const threads = core.set_threads(wanted);
  const files = await loadDataset('mnist');
  const data = new MnistData(files[0], files[1], files[2], files[3]);
  const results = [];
  for (const m of MODELS) {
    const pg = new Playground(JSON.stringify(m.model), JSON.stringify(m.train));
    pg.train(data, WARMUP_BATCHES); // first-touch allocations and JIT tier-up
    // Chunks of a few batches, as the worker's time slices run them.
    let batches = 0;
    let loss = NaN;
    core.time_sections?.(true); // the threaded build: where a batch's time goes (src/threads.rs timing)
    const t0 = performance.now();
    while (performance.now() - t0 < 1000 * seconds) {
      loss = pg.train(data, 4).loss;
      batches += 4;
    }
    const ms = performance.now() - t0;
    core.time_sections?.(false);
    const [sections, inside, waiting] = core.section_times?.() ?? [];
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
      loss,
      testEvalMs: evalMs,
      testImagesPerSec: (data.test_len * 1000) / evalMs,
      // Per batch, in ms: parallel sections, the calling thread waiting in them, and the time outside them.
      sections: sections === undefined ? null : { perBatch: sections / batches, insideMs: (1000 * inside) / batches, waitingMs: (1000 * waiting) / batches, outsideMs: (ms - 1000 * inside) / batches },
    });
    pg.free();
    self.postMessage({ type: 'partial', results });
  }
  data.free();
  // One hand-off of an empty block to a helper and back (Atomics.wait/notify underneath), in µs.
  const handoffUs = threads > 1 ? 1e6 * core.handoff_seconds(5000) : null;
  return { simd: Playground.simd(), build: core.build, threads, handoffUs, crossOriginIsolated: self.crossOriginIsolated, userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency, results };
}

function runPage() {
  const out = document.getElementById('out');
  const seconds = Math.min(Math.max(Number(new URLSearchParams(location.search).get('seconds')) || 4, 0.5), 60);
  const show = (results) => {
    const test = (r) => (r.testImagesPerSec ? `; test set: ${r.testImagesPerSec.toFixed(0)} images/s` : '');
    out.textContent = results.map((r) => `${r.name}\n  ${r.samplesPerSec.toFixed(0)} samples/s, ${r.gflops.toFixed(2)} GFLOP/s (${r.msPerBatch.toFixed(1)} ms/batch, ${r.params} params)${test(r)}\n`).join('\n');
  };
  out.textContent = `loading MNIST, then ${seconds} s per model…`;
  // The worker reads `?build=` from its own address. `?engine=tfjs`: TensorFlow.js on the same models instead.
  const tfjs = new URLSearchParams(location.search).get('engine') === 'tfjs';
  const worker = tfjs ? new Worker(new URL('./bench-tfjs.js', import.meta.url)) : new Worker(new URL('./bench.js' + location.search, import.meta.url), { type: 'module' });
  worker.postMessage({ seconds });
  worker.onmessage = (e) => {
    const d = e.data;
    if (d.type === 'partial') show(d.results);
    if (d.type === 'done') {
      show(d.report.results);
      out.textContent += `\nbuild: ${d.report.simd}\n${d.report.userAgent}`;
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
