#!/usr/bin/env node
// Prints training throughput on real MNIST, side by side in one run and one
// headless Chromium: each build of our wasm core (threaded at 1, 2 and 4
// threads, relaxed SIMD, simd128, no SIMD; www/worker/wasm-build.js), TensorFlow.js 4.22's wasm backend on the same
// models, loss and optimiser (www/dev/bench-tfjs.js), and with --native our native
// core (`cargo bench --bench train`). Serves site/ (rebuilt first if stale) on
// a free loopback port, with dev/bench.html from www/dev and the TF.js bundles
// and binaries from node_modules at vendor/; nothing is fetched from the internet. Needs scripts/setup.sh
// and `npm ci` to have run.
//
//   node scripts/bench-wasm.mjs [--seconds 4] [--rounds 3] [--native] [--engines threads,relaxed,simd,plain,tfjs] [--chromium /usr/bin/chromium]
//
// Each engine runs in its own page and worker. `threads` is the threaded build
// at 1, 2 and 4 threads (`threads:2` one of them), served by a second server
// that sends COOP/COEP, as the page needs; the other engines run one thread
// on a server without them, so TF.js runs single-threaded like our unthreaded
// builds. With --native, `cargo bench --bench train` runs at 1, 2 and 4
// threads too (BENCH_THREADS). Benchmarks print; they assert nothing.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { serve } from '../tests/web/static-server.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH, ensureSiteFresh } from '../tests/web/site.mjs';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4' },
    chromium: { type: 'string', default: CHROMIUM_PATH },
    native: { type: 'boolean', default: false },
    engines: { type: 'string', default: 'threads,relaxed,simd,plain,tfjs' },
    rounds: { type: 'string', default: '3' },
  },
});
const root = fileURLToPath(new URL('..', import.meta.url));
const THREAD_COUNTS = [1, 2, 4];
const engines = args.engines.split(',').flatMap((e) => (e === 'threads' ? THREAD_COUNTS.map((n) => `threads:${n}`) : [e]));
const LABELS = { relaxed: 'wasm relaxed SIMD', 'relaxed-mm': 'wasm relaxed SIMD, matrixmultiply kernel', simd: 'wasm simd128', plain: 'wasm no SIMD', tfjs: 'TF.js 4.22 wasm' };
const label = (e) => LABELS[e] ?? `wasm threads ×${e.split(':')[1]}`;
ensureSiteFresh(['worker/wasm-build.js', 'worker/thread-pool.js', 'worker/thread-helper.js', 'worker/dataset-download.js']); // dev/bench.* are served from www/dev

const server = await serve(
  root + 'site',
  {
    '/vendor/tfjs/': root + 'node_modules/@tensorflow/tfjs/dist',
    '/vendor/tfjs-backend-wasm/': root + 'node_modules/@tensorflow/tfjs-backend-wasm/dist',
  },
  { isolated: false },
);
const isolatedServer = await serve(root + 'site');
const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS });

/** One engine's figures from a fresh page and worker: {simd, results: [{name, samplesPerSec, gflops, …}]}. */
async function runEngine(engine) {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  const threads = engine.startsWith('threads:') ? Number(engine.split(':')[1]) : 0;
  const query = engine === 'tfjs' ? 'engine=tfjs' : threads ? `build=threads&threads=${threads}` : `build=${engine}`;
  await page.goto(`${(threads ? isolatedServer : server).url}dev/bench.html?seconds=${encodeURIComponent(args.seconds)}&${query}`);
  const timeout = (60 + 4 * Number(args.seconds)) * 1000;
  await page.waitForFunction(() => window.benchResult, null, { timeout, polling: 200 });
  const report = await page.evaluate(() => window.benchResult);
  await page.close();
  if (report.error) throw new Error(`${engine}: ${report.error}`);
  return report;
}

/** Native samples/s by model kind ('AE' | 'VAE') at `threads` threads, from `cargo bench --bench train`. */
function runNative(threads) {
  const env = { ...process.env, BENCH_SECONDS: args.seconds, BENCH_THREADS: String(threads) };
  const out = execFileSync('cargo', ['bench', '--quiet', '--bench', 'train'], { cwd: root, env, encoding: 'utf8' });
  console.log(out.trimEnd().replace(/^/gm, '  '));
  const rates = {};
  for (const m of out.matchAll(/^(AE|VAE) .*?([0-9]+) samples\/s/gm)) rates[m[1]] ??= Number(m[2]);
  return rates;
}

// A shared machine's load comes and goes: the engines take turns, round after
// round, and the summary keeps each one's best round, the figure least
// disturbed by others.
/** engine -> {simd, results} with each model's best round */
const reports = {};
/** threads -> model kind -> samples/s */
const native = {};
const nativeThreads = engines.some((e) => e.startsWith('threads:')) ? THREAD_COUNTS : [1];
const better = (a, b, key) => (!a || b[key] > a[key] ? b : a);
try {
  console.log(`headless Chromium ${browser.version()}, ${args.seconds} s per model, ${args.rounds} rounds`);
  for (let round = 1; round <= Number(args.rounds); round++) {
    console.log(`round ${round}`);
    for (const engine of engines) {
      const report = await runEngine(engine);
      console.log(`  ${label(engine)} (${report.simd}${report.threads ? `, ${report.threads} thread${report.threads > 1 ? 's' : ''}` : ''})`);
      if (report.handoffUs != null) console.log(`    a hand-off of an empty block to a helper and back: ${report.handoffUs.toFixed(1)} µs`);
      for (const r of report.results) {
        const test = r.testImagesPerSec ? `; test set ${Math.round(r.testImagesPerSec)} images/s` : '';
        console.log(`    ${r.name}: ${r.samplesPerSec.toFixed(0)} samples/s, ${r.gflops.toFixed(2)} GFLOP/s (${r.msPerBatch.toFixed(1)} ms/batch over ${r.batches} batches, last loss ${r.loss.toFixed(1)})${test}`);
        // The threaded build: where a batch's time went (src/threads.rs timing).
        const t = r.sections;
        if (t) console.log(`      per batch: ${t.perBatch.toFixed(1)} parallel sections taking ${t.insideMs.toFixed(2)} ms (waiting ${t.waitingMs.toFixed(2)} ms), ${t.outsideMs.toFixed(2)} ms outside them`);
      }
      const best = (reports[engine] ??= { simd: report.simd, results: [] });
      best.results = report.results.map((r, i) => ({ ...better(best.results[i], r, 'samplesPerSec'), testImagesPerSec: Math.max(best.results[i]?.testImagesPerSec ?? 0, r.testImagesPerSec ?? 0) }));
    }
    if (args.native) {
      for (const t of nativeThreads) {
        console.log(`  native, ${t} thread${t > 1 ? 's' : ''} (BENCH_THREADS=${t} cargo bench --bench train)`);
        const best = (native[t] ??= {});
        for (const [kind, rate] of Object.entries(runNative(t))) best[kind] = Math.max(best[kind] ?? 0, rate);
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
  await isolatedServer.close();
}

// The summary, as docs/benchmarks.md's table: samples/s (GFLOP/s), then the ratios.
const models = (reports[engines[0]]?.results ?? []).map((r) => r.name);
const rate = (engine, model) => reports[engine]?.results.find((r) => r.name === model);
const kind = (model) => model.split(' ')[0];
const ours = engines.filter((e) => e !== 'tfjs' && !e.startsWith('threads:'));
const threaded = engines.filter((e) => e.startsWith('threads:'));
const cell = (r) => (r ? `${Math.round(r.samplesPerSec).toLocaleString('en')} (${r.gflops.toFixed(1)})` : '–');
const head = ['model', ...engines.map(label), ...(args.native ? ['native'] : [])];
const ratios = [...(reports.tfjs ? ours.map((e) => `${e} / TF.js`) : []), ...(args.native ? ours.map((e) => `${e} / native`) : [])];
const ratio = (a, b) => (a && b ? (a / b).toFixed(2) : '–');
console.log(`\nbest of ${args.rounds} rounds: samples/s (GFLOP/s), and ratios of samples/s`);
console.log(`| ${[...head, ...ratios].join(' | ')} |`);
console.log(`|${[...head, ...ratios].map(() => '---').join('|')}|`);
for (const model of models) {
  const n = native[1]?.[kind(model)];
  const row = [model, ...engines.map((e) => cell(rate(e, model))), ...(args.native ? [n ? Math.round(n).toLocaleString('en') : '–'] : [])];
  if (reports.tfjs) for (const e of ours) row.push(ratio(rate(e, model)?.samplesPerSec, rate('tfjs', model)?.samplesPerSec));
  if (args.native) for (const e of ours) row.push(ratio(rate(e, model)?.samplesPerSec, n));
  console.log(`| ${row.join(' | ')} |`);
}
if (threaded.length) {
  // Scaling: each thread count against the threaded build's own 1 thread and
  // against the unthreaded relaxed build (the one a page without isolation runs).
  const counts = threaded.map((e) => Number(e.split(':')[1]));
  console.log('\nthreads: samples/s, and the ratio to the threaded build on 1 thread / to the relaxed build (one thread, no atomics)');
  const cols = [...counts.map((t) => `wasm ${t} thread${t > 1 ? 's' : ''}`), ...(args.native ? counts.map((t) => `native ${t}`) : [])];
  console.log(`| model | ${cols.join(' | ')} |`);
  console.log(`|---|${cols.map(() => '---').join('|')}|`);
  for (const model of models) {
    const one = rate('threads:1', model)?.samplesPerSec;
    const relaxed = rate('relaxed', model)?.samplesPerSec;
    const cells = threaded.map((e) => {
      const r = rate(e, model)?.samplesPerSec;
      return `${r ? Math.round(r).toLocaleString('en') : '–'} (${ratio(r, one)} / ${ratio(r, relaxed)})`;
    });
    if (args.native) {
      const base = native[1]?.[kind(model)];
      for (const t of counts) {
        const r = native[t]?.[kind(model)];
        cells.push(`${r ? Math.round(r).toLocaleString('en') : '–'} (${ratio(r, base)})`);
      }
    }
    console.log(`| ${model} | ${cells.join(' | ')} |`);
  }
}
if (ours.length) {
  console.log('\ntest-set evaluation (10,000 images), images/s');
  for (const model of models) console.log(`  ${model}: ${[...threaded, ...ours].map((e) => `${label(e)} ${Math.round(rate(e, model)?.testImagesPerSec ?? 0).toLocaleString('en')}`).join(', ')}`);
}
