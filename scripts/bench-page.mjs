#!/usr/bin/env node
// Prints how the playground page behaves while it trains, in headless
// Chromium: batches trained in a fixed time, images/s, and the main thread's
// long tasks (over 50 ms) while a person draws. These were once assertions in
// tests/web/training.test.mjs; on a shared 2-core machine times are figures
// to read, not claims to assert. Needs scripts/setup.sh to have run.
//
//   node scripts/bench-page.mjs [--seconds 6] [--hash 'model=vae&hidden=256&latent=2']
//
// With --epochs N it instead trains the model of --hash for N epochs with the
// Train button, the page's own test evaluations included, pauses, and prints
// the wall time until the test loss of the last batch is shown (issue 10's
// "10 VAE epochs in the page"):
//
//   node scripts/bench-page.mjs --epochs 10 --hash 'model=vae&hidden=400&latent=20&batch=128' [--threads 2]
//
// --threads N chooses N in the page's thread count first, as a person would
// (the page's default is half the cores: 1 on a 2-core machine).
// With --compare (issue 23) it measures, in one run, the same N epochs five
// ways and prints the ratios: the native CLI on one thread; the worker alone
// training with no evaluation or views (a quiet `step`); the page, whose test
// evaluations run beside training in a second worker; the page with
// ?beside=0, evaluating in turns with training as before; and the page with
// two training threads (the gain of a second thread, evaluation beside).
// It also prints, for the worker alone and the page both ways, the
// CPU-seconds each of Chromium's threads used (scripts/proc-cpu.mjs).
// --sizes N adds, in the same run, the five ways for N epochs at hidden
// 400, 800 and 1600 and at batch 32 and 512.
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { cpuByThread, cpuSpent } from './proc-cpu.mjs';
import { setup, open, byTestId, draw, waitForStatus, waitForTestCurrent, ZERO, SEVEN, NATIVE } from '../tests/web/harness.mjs';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '6' }, hash: { type: 'string', default: '' }, epochs: { type: 'string' }, threads: { type: 'string' }, compare: { type: 'boolean' }, sizes: { type: 'string' } } });
const seconds = Number(args.seconds);

/** Seconds from Train to the test loss of the last batch, for `epochs` epochs of the page at `query` (e.g. '?beside=0'), with `threads` training threads chosen first (0: the page's default). */
async function pageEpochs(env, hash, epochs, query = '', threads = 0) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.url}${query}#${hash}&autoplay=0`);
  await waitForStatus(page, /^Ready$/, 120_000);
  if (threads) await page.locator(byTestId('threads')).selectOption(String(threads));
  const cpu0 = cpuByThread();
  const t0 = Date.now();
  await page.locator(byTestId('train-toggle')).click();
  await page.waitForFunction((n) => Number(document.getElementById('stat-epoch').textContent) >= n, epochs, { timeout: 0, polling: 200 });
  await page.locator(byTestId('train-toggle')).click();
  await waitForStatus(page, /^Paused$/, 120_000);
  await waitForTestCurrent(page, 600_000);
  const wall = (Date.now() - t0) / 1000;
  const cpu = cpuSpent(cpu0, cpuByThread());
  const batches = Number((await page.locator('#stat-step').textContent()).replace(/,/g, ''));
  const note = (await page.locator('#stat-threads').textContent()).trim();
  await context.close();
  return { wall, batches, note, cpu };
}

/** Seconds the worker alone takes to train `batches` batches with no evaluation and no views (a quiet step). */
async function workerAlone(env, hash, batches) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(env.url + 'dev/test-core.html');
  await page.evaluate(async (hash) => {
    const state = await import('../shared/run-settings.js');
    const { WorkerClient } = await import('../page/worker-client.js');
    window.client = new WorkerClient('../worker/worker.js?beside=0').start();
    await window.client.request(state.toInit(state.parseHash('#' + hash).state));
  }, hash);
  // Only the training counts, not the start.
  const cpu0 = cpuByThread();
  const s = await page.evaluate(async (n) => {
    const t0 = performance.now();
    await window.client.request({ type: 'step', n, test: false });
    return (performance.now() - t0) / 1000;
  }, batches);
  const cpu = cpuSpent(cpu0, cpuByThread());
  await context.close();
  return { wall: s, cpu };
}

/** The native CLI's seconds for `epochs` epochs of `hash` on one thread (its own test pass each epoch included). */
function nativeEpochs(hash, epochs) {
  const flags = hash.split('&').flatMap((kv) => {
    const [k, v] = kv.split('=');
    return [`--${k.replaceAll('_', '-')}`, decodeURIComponent(v)];
  });
  const t0 = Date.now();
  execFileSync(join(NATIVE, 'ae-playground'), ['train', ...flags, '--epochs', String(epochs), '--threads', '1', '--out', '/dev/null'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return (Date.now() - t0) / 1000;
}

/** The same `epochs` epochs of `hash` measured five ways, one after the other. */
async function compare(env, hash, epochs) {
  const native = nativeEpochs(hash, epochs);
  const beside = await pageEpochs(env, hash, epochs);
  const { wall: alone, cpu: aloneCpu } = await workerAlone(env, hash, beside.batches);
  const turns = await pageEpochs(env, hash, epochs, '?beside=0');
  const two = await pageEpochs(env, hash, epochs, '', 2);
  return { native, alone, aloneCpu, beside, turns, two };
}

if (args.compare) {
  const epochs = Number(args.epochs ?? 10);
  const hash = args.hash || 'model=vae&hidden=400&latent=20&batch=128';
  const env = await setup();
  try {
    const r = await compare(env, hash, epochs);
    const { native, alone, beside, turns, two } = r;
    console.log(`${epochs} epochs of ${hash}, one run, Chromium ${env.browser.version()}, load average ${loadavg()[0].toFixed(1)} at the end (2 cores):`);
    console.log(`  native CLI, one thread:                          ${native.toFixed(1)} s`);
    console.log(`  worker alone, no evaluation or views (${beside.batches} batches): ${alone.toFixed(1)} s  (${(alone / native).toFixed(2)}× native)`);
    console.log(`  page, evaluation beside training:               ${beside.wall.toFixed(1)} s  (${(beside.wall / alone).toFixed(2)}× training alone, ${(beside.wall / native).toFixed(2)}× native)`);
    console.log(`  page, evaluation in turns (?beside=0):           ${turns.wall.toFixed(1)} s  (${(turns.wall / alone).toFixed(2)}× training alone, ${(turns.wall / native).toFixed(2)}× native; ${turns.batches} batches)`);
    console.log(`  page, 2 training threads, evaluation beside:     ${two.wall.toFixed(1)} s  (${(beside.wall / two.wall).toFixed(2)}× the gain of the second thread; ${two.batches} batches; the page said “${two.note}”)`);
    // Where the CPU went: the threads of this Chromium that used at least 1% of the wall time.
    const threads = (name, spent, wall) =>
      console.log(`  CPU-seconds by thread, ${name}: ${spent.filter(([, v]) => v >= wall / 100).map(([k, v]) => `${k.replace(/ \d+$/, '')} ${v.toFixed(1)}`).join(', ')}; all ${spent.reduce((a, [, v]) => a + v, 0).toFixed(1)} in ${wall.toFixed(1)} s`);
    threads('worker alone', r.aloneCpu, alone);
    threads('page beside', beside.cpu, beside.wall);
    threads('page in turns', turns.cpu, turns.wall);
    if (args.sizes) {
      // How it grows with the hidden size and the batch: each row the same five ways, in this run.
      const rows = ['hidden=400&batch=128', 'hidden=800&batch=128', 'hidden=1600&batch=128', 'hidden=400&batch=32', 'hidden=400&batch=512'];
      const sizeEpochs = Number(args.sizes);
      console.log(`\n${sizeEpochs} epochs of model=vae&latent=20&… (÷: the page ÷ the worker alone; 2 threads: the gain of the second thread)`);
      console.log('  row                      native   alone÷native  beside÷alone  in turns÷alone  2 threads');
      for (const row of rows) {
        const q = await compare(env, `model=vae&latent=20&${row}`, sizeEpochs);
        console.log(`  ${row.padEnd(24)} ${q.native.toFixed(1).padStart(6)} s ${(q.alone / q.native).toFixed(2).padStart(12)} ${(q.beside.wall / q.alone).toFixed(2).padStart(13)} ${(q.turns.wall / q.alone).toFixed(2).padStart(15)} ${(q.beside.wall / q.two.wall).toFixed(2).padStart(10)}×`);
      }
      console.log(`  load average ${loadavg()[0].toFixed(1)} at the end`);
    }
  } finally {
    await env.close();
  }
  process.exit(0);
}

if (args.epochs) {
  const epochs = Number(args.epochs);
  const env = await setup();
  try {
    const page = await open(env, args.hash);
    if (args.threads) await page.locator(byTestId('threads')).selectOption(args.threads);
    const threads = args.threads ?? (await page.locator(byTestId('threads')).inputValue());
    const load = loadavg()[0];
    const t0 = Date.now();
    await page.locator(byTestId('train-toggle')).click();
    await page.waitForFunction((n) => Number(document.getElementById('stat-epoch').textContent) >= n, epochs, { timeout: 0, polling: 200 });
    const trained = (Date.now() - t0) / 1000;
    const shown = await page.locator('#stat-speed').textContent();
    await page.locator(byTestId('train-toggle')).click();
    await waitForStatus(page, /^Paused$/, 120_000);
    await waitForTestCurrent(page, 600_000);
    const wall = (Date.now() - t0) / 1000;
    const text = async (id) => (await page.locator(`#${id}`).textContent()).trim();
    console.log(`${epochs} epochs in the page (${args.hash || 'default model'}), Chromium ${env.browser.version()}, ${await text('stat-simd')}, ${threads} thread${threads === '1' ? '' : 's'}`);
    console.log(`  ${wall.toFixed(1)} s from Train to the test loss of the last batch (${trained.toFixed(1)} s to reach epoch ${epochs}), ${await text('stat-step')} batches; the page showed ${shown} images/s (its training time only)`);
    console.log(`  test loss ${await text('test-loss')}; load average ${load.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end (2 cores)`);
  } finally {
    await env.close();
  }
  process.exit(0);
}

function watch() {
  window.__longtasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

const env = await setup();
try {
  const page = await open(env, args.hash, { init: watch });
  await page.locator(byTestId('train-toggle')).click();
  await waitForStatus(page, /^Training/);
  const t0 = await page.evaluate(() => performance.now());
  // A person draws twice while it trains.
  await draw(page, ZERO);
  await page.waitForTimeout((seconds * 1000) / 2);
  await page.locator('#pad-clear').click();
  await draw(page, SEVEN);
  await page.waitForTimeout((seconds * 1000) / 2);
  const speed = Number((await page.locator('#stat-speed').textContent()).replace(/,/g, ''));
  const t1 = await page.evaluate(() => performance.now());
  const steps = Number((await page.locator('#stat-step').textContent()).replace(/,/g, ''));
  await page.locator(byTestId('train-toggle')).click();
  const long = (await page.evaluate(() => window.__longtasks)).filter((e) => e.start >= t0 && e.start <= t1);
  const wall = (t1 - t0) / 1000;
  console.log(`page while training (${args.hash || 'default model'}), Chromium ${env.browser.version()}`);
  console.log(`  ${steps} batches in ${wall.toFixed(1)} s of wall time (drawing included), ${speed} images/s shown`);
  console.log(`  main-thread long tasks over 50 ms: ${long.length}${long.length ? ` (longest ${Math.max(...long.map((e) => e.duration)).toFixed(0)} ms)` : ''}`);
} finally {
  await env.close();
}
