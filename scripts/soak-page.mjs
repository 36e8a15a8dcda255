#!/usr/bin/env node
// Soak: trains the playground page (the default model unless --hash says
// otherwise) for N minutes in headless Chromium and prints, every --every
// seconds, how fast it trains and how much memory it holds:
//   shown/s   the page's images/s (the worker's samplesPerSec: training time
//             only), averaged over the progress messages of the interval
//   wall/s    images trained per second of wall time (evaluations, latent
//             refreshes and everything else the worker does included)
//   train%    wall/s ÷ shown/s: the share of the worker's time spent training
//   cpu/s     images trained per second of the worker thread's own CPU time
//             (/proc: utime + stime of the training worker's thread, the busiest DedicatedWorker):
//             what the machine's other work cannot change by taking the core
//   eval%     test-set evaluations' time (the `test` replies' ms) ÷ interval
//   wasm      the worker's wasm memory (self.wasmMemoryBytes, www/worker/worker.js)
//   eval MB   the evaluation worker's (www/worker/evaluation-worker.js), once training has started it
//   page heap the page's JS heap in use (CDP Runtime.getHeapUsage)
//   wkr heap  the worker's JS heap in use (performance.memory, if exposed)
//   rss       resident memory of this browser's renderer processes (/proc)
//   load      the machine's 1-minute load average (it is shared)
// Messages between page and worker are counted by type (an init script
// wraps the page's Worker), so a change in what the page asks for shows.
// Benchmarks print; nothing is asserted. Needs scripts/setup.sh to have run.
//
//   node scripts/soak-page.mjs [--minutes 8] [--every 15] [--hash 'model=vae&hidden=256&latent=2'] [--json soak.json] [--site DIR]
// --site serves another build of the site (a copy of site/ from before a
// change, say) instead of site/, unbuilt: two soaks side by side compare two builds.
import { parseArgs } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { cpuByThread, descendants } from './proc-cpu.mjs';
import { setup, serveAndLaunch, open, byTestId, waitForStatus } from '../tests/web/harness.mjs';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '8' },
    every: { type: 'string', default: '15' },
    hash: { type: 'string', default: '' },
    json: { type: 'string' },
    site: { type: 'string' },
  },
});
const minutes = Number(args.minutes);
const every = Number(args.every);

/** Runs in the page before its scripts: tallies the worker traffic. */
function watchWorker() {
  const Native = window.Worker;
  const s = (window.__soak = { to: {}, from: {}, evals: 0, evalMs: 0, rates: [], last: null });
  window.Worker = class extends Native {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', (e) => {
        const m = e.data || {};
        s.from[m.type] = (s.from[m.type] || 0) + 1;
        if (m.type === 'progress') {
          s.last = { samplesSeen: m.samplesSeen, step: m.step, epoch: m.epoch };
          if (m.running && m.samplesPerSec > 0) s.rates.push(m.samplesPerSec);
        }
        if (m.type === 'test') (s.evals++, (s.evalMs += m.ms));
      });
    }
    postMessage(m, t) {
      s.to[m?.type] = (s.to[m?.type] || 0) + 1;
      return super.postMessage(m, t);
    }
  };
}

/** The renderer processes descended from this process (this script's Chromium, not another's). */
function renderers() {
  return descendants()
    .filter((p) => p.type === 'renderer')
    .map((p) => p.pid);
}

/** Resident memory (bytes) of this browser's renderers. */
function rendererRss() {
  let rss = 0;
  for (const pid of renderers()) {
    try {
      rss += 1024 * Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // The process ended between listing and reading: it no longer counts.
    }
  }
  return rss;
}

/** CPU seconds (user + system) of this browser's DedicatedWorker threads. */
function workerCpu() {
  // The busiest worker thread: the training worker's (the evaluation worker's is one too, and idler).
  const workers = [...cpuByThread()].filter(([k]) => k.startsWith('renderer DedicatedWorker '));
  return Math.max(0, ...workers.map(([, v]) => v));
}

const mb = (b) => (b === null || b === undefined ? '–' : (b / 2 ** 20).toFixed(1));
const pad = (s, n) => String(s).padStart(n);

const env = args.site ? await serveAndLaunch(args.site) : await setup();
const samples = [];
try {
  const page = await open(env, args.hash, { init: watchWorker });
  const cdp = await page.context().newCDPSession(page);
  const batch = Number(new URLSearchParams(args.hash).get('batch') ?? 100);
  const worker = () => page.workers().find((w) => new URL(w.url()).pathname.endsWith('/worker/worker.js')); // not the evaluation worker
  const read = async () => {
    const s = await page.evaluate(() => {
      const s = window.__soak;
      const out = { ...s, to: { ...s.to }, from: { ...s.from }, rates: s.rates.splice(0) };
      return out;
    });
    const w = worker();
    const inWorker = w ? await w.evaluate(() => ({ wasm: self.wasmMemoryBytes?.() ?? null, heap: performance.memory?.usedJSHeapSize ?? null })) : {};
    const e = page.workers().find((x) => new URL(x.url()).pathname.endsWith('/worker/evaluation-worker.js'));
    const evalWasm = e ? await e.evaluate(() => self.wasmMemoryBytes?.() ?? null) : null;
    const heap = await cdp.send('Runtime.getHeapUsage');
    return { t: performance.now(), ...s, wasm: inWorker.wasm, evalWasm, workerHeap: inWorker.heap, pageHeap: heap.usedSize, rss: rendererRss(), cpu: workerCpu(), load: os.loadavg()[0] };
  };
  await page.locator(byTestId('train-toggle')).click();
  await waitForStatus(page, /^Training/);
  console.log(`soak: ${args.site ?? 'site/'}, ${args.hash || 'default model'}, ${minutes} min, a sample every ${every} s, Chromium ${env.browser.version()}, ${os.cpus().length} cores`);
  console.log(`${pad('t s', 5)} ${pad('epoch', 5)} ${pad('step', 7)} ${pad('shown/s', 8)} ${pad('wall/s', 8)} ${pad('train%', 6)} ${pad('cpu/s', 6)} ${pad('eval%', 6)} ${pad('wasm MB', 8)} ${pad('eval MB', 8)} ${pad('page heap', 9)} ${pad('wkr heap', 8)} ${pad('rss MB', 7)} ${pad('load', 5)}`);
  let prev = await read();
  const t0 = prev.t;
  while (prev.t - t0 < minutes * 60_000) {
    await page.waitForTimeout(Math.max(0, every * 1000 - (performance.now() - prev.t)));
    const now = await read();
    const dt = (now.t - prev.t) / 1000;
    const shown = now.rates.length ? now.rates.reduce((a, b) => a + b, 0) / now.rates.length : 0;
    const wall = ((now.last?.samplesSeen ?? 0) - (prev.last?.samplesSeen ?? 0)) / dt;
    const evalShare = (now.evalMs - prev.evalMs) / 1000 / dt;
    const cpuRate = ((now.last?.samplesSeen ?? 0) - (prev.last?.samplesSeen ?? 0)) / Math.max(now.cpu - prev.cpu, 0.01);
    const row = {
      t: (now.t - t0) / 1000,
      epoch: now.last?.epoch ?? 0,
      step: now.last?.step ?? 0,
      shown,
      wall,
      trainShare: shown > 0 ? wall / shown : 0,
      cpuRate,
      workerCpuShare: (now.cpu - prev.cpu) / dt,
      evalShare,
      evals: now.evals - prev.evals,
      wasm: now.wasm,
      evalWasm: now.evalWasm,
      pageHeap: now.pageHeap,
      workerHeap: now.workerHeap,
      rss: now.rss,
      load: now.load,
      to: Object.fromEntries(Object.entries(now.to).map(([k, v]) => [k, v - (prev.to[k] ?? 0)]).filter(([, v]) => v)),
    };
    samples.push(row);
    console.log(
      `${pad(row.t.toFixed(0), 5)} ${pad(row.epoch, 5)} ${pad(row.step, 7)} ${pad(shown.toFixed(0), 8)} ${pad(wall.toFixed(0), 8)} ${pad((100 * row.trainShare).toFixed(0), 6)} ${pad(cpuRate.toFixed(0), 6)} ${pad((100 * evalShare).toFixed(1), 6)} ${pad(mb(row.wasm), 8)} ${pad(mb(row.evalWasm), 8)} ${pad(mb(row.pageHeap), 9)} ${pad(mb(row.workerHeap), 8)} ${pad(mb(row.rss), 7)} ${pad(row.load.toFixed(2), 5)}  ${Object.entries(row.to).map(([k, v]) => `${k}×${v}`).join(' ')}`,
    );
    prev = now;
  }
  await page.locator(byTestId('train-toggle')).click();
  // First and last quarter of the run, to read a trend through the noise.
  const q = Math.max(1, Math.floor(samples.length / 4));
  const mean = (rows, k) => rows.reduce((a, r) => a + r[k], 0) / rows.length;
  const [first, last] = [samples.slice(0, q), samples.slice(-q)];
  const change = (k) => `${mean(first, k).toFixed(0)} -> ${mean(last, k).toFixed(0)} (${((100 * (mean(last, k) - mean(first, k))) / mean(first, k)).toFixed(1)}%)`;
  console.log(`first vs last quarter: shown/s ${change('shown')}, wall/s ${change('wall')}, cpu/s ${change('cpuRate')}, worker CPU ${(100 * mean(first, 'workerCpuShare')).toFixed(0)}% -> ${(100 * mean(last, 'workerCpuShare')).toFixed(0)}% of a core, eval ${(100 * mean(first, 'evalShare')).toFixed(1)}% -> ${(100 * mean(last, 'evalShare')).toFixed(1)}%, load ${mean(first, 'load').toFixed(2)} -> ${mean(last, 'load').toFixed(2)}`);
  console.log(`memory: wasm ${mb(samples[0].wasm)} -> ${mb(samples.at(-1).wasm)} MB, the evaluation worker's ${mb(samples[0].evalWasm)} -> ${mb(samples.at(-1).evalWasm)} MB, page heap ${mb(samples[0].pageHeap)} -> ${mb(samples.at(-1).pageHeap)} MB, renderer RSS ${mb(samples[0].rss)} -> ${mb(samples.at(-1).rss)} MB`);
  if (batch && samples.length) console.log(`batch ${batch}: ${(mean(samples, 'wall') / batch).toFixed(1)} batches/s of wall time on average`);
  if (page.errors.length) console.log(`page errors: ${page.errors.join(' | ')}`);
  if (args.json) writeFileSync(args.json, JSON.stringify({ hash: args.hash, minutes, every, samples }, null, 1));
} finally {
  await env.close();
}
