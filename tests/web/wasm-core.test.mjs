// The WebAssembly build computes what the native build computes.
//
// `cargo run --profile suite --example core_fingerprint` trains a few small models
// natively for 20 steps on the first 1,000 MNIST images and prints checksums
// and losses; www/dev/test-core.html runs the same cases through the wasm core in
// headless Chromium. The initial weights must agree bit for bit (one portable
// generator, PCG-64, and the same initialisation code). After that, native and
// wasm GEMMs may round differently (FMA and blocking depend on the CPU), so
// figures are compared with a relative tolerance:
//   - test-set figures of the untrained model (forward pass only): 1e-6;
//   - per-batch training losses and test figures after 20 steps: 1e-4.
// Measured on the development machine (x86-64, Chromium 156): the forward
// figures agreed exactly and the trained ones to ≤ 1.2e-7 (one f32 ulp; the
// relaxed-SIMD build the page runs: ≤ 8.7e-8, FMA like native), so
// both tolerances leave two or more orders of magnitude for other CPUs while a
// real divergence (a wrong gradient, a different noise draw) shows up as
// differences of 1e-3 and more within a step or two.
//
// Needs scripts/setup.sh to have run; site/ is rebuilt when stale.
//   node --test tests/web/
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from './static-server.mjs';
import { cargoNative, ensureSiteFresh, launchChromium, ROOT, worst } from './site.mjs';

const FORWARD_TOL = 1e-6;
const TRAINED_TOL = 1e-4;

let native;
let wasm;
let misuse;
let browser;
let server;

before(async () => {
  ensureSiteFresh(['worker/wasm-build.js', 'worker/dataset-download.js']); // dev/test-core.* are served from www/dev
  const json = cargoNative('run', ['--example', 'core_fingerprint'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  native = JSON.parse(json);
  server = await serve(ROOT + 'site');
  browser = await launchChromium();
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + 'dev/test-core.html');
  await page.waitForFunction(() => window.runFingerprint, null, { timeout: 30_000 });
  wasm = await page.evaluate((spec) => window.runFingerprint(spec), native);
  misuse = await page.evaluate(() => window.runMisuse());
  assert.deepEqual(errors, [], 'the test page raised errors');
});

after(async () => {
  await browser?.close();
  await server?.close();
});


function eachCase(f) {
  assert.equal(wasm.cases.length, native.cases.length);
  native.cases.forEach((n, i) => f(n, wasm.cases[i]));
}

test('the page runs the best build Chromium supports: relaxed SIMD', () => {
  assert.equal(wasm.simd, 'relaxed-simd');
});

test('initial weights are bit-identical in wasm and native', () => {
  eachCase((n, w) => assert.equal(w.init_checksum, n.init_checksum, `${n.name}: FNV-1a of the initial weights`));
});

test(`test-set figures of the untrained models agree to ${FORWARD_TOL}`, () => {
  eachCase((n, w) => {
    const { max, at } = worst(n.initial, w.initial);
    assert.ok(max <= FORWARD_TOL, `${n.name}: figure ${at} native ${n.initial[at]} wasm ${w.initial[at]} (relative ${max})`);
  });
});

test(`per-batch training losses over 20 steps agree to ${TRAINED_TOL}`, () => {
  eachCase((n, w) => {
    const { max, at } = worst(n.losses, w.losses);
    console.log(`${n.name}: largest relative loss difference ${max.toExponential(2)}`);
    assert.ok(max <= TRAINED_TOL, `${n.name}: step ${at + 1} native ${n.losses[at]} wasm ${w.losses[at]} (relative ${max})`);
  });
});

test(`test-set figures after training agree to ${TRAINED_TOL}`, () => {
  eachCase((n, w) => {
    const { max, at } = worst(n.final, w.final);
    console.log(`${n.name}: largest relative test-figure difference ${max.toExponential(2)}`);
    assert.ok(max <= TRAINED_TOL, `${n.name}: figure ${at} native ${n.final[at]} wasm ${w.final[at]} (relative ${max})`);
  });
});

test('training actually moved the weights (the comparison is not vacuous)', () => {
  eachCase((n, w) => {
    assert.notEqual(w.final_checksum, w.init_checksum, n.name);
    assert.ok(w.losses.at(-1) < 0.95 * w.losses[0], `${n.name}: loss ${w.losses[0]} -> ${w.losses.at(-1)}`);
  });
});

test('malformed calls throw JS Errors with readable messages, never a trap', () => {
  for (const [what, r] of Object.entries(misuse.results)) {
    assert.ok(r.threw, `${what}: did not throw`);
    assert.ok(r.isError, `${what}: threw a non-Error ${JSON.stringify(r)}`);
    assert.doesNotMatch(r.message, /unreachable|RuntimeError|panicked/i, `${what}: ${r.message}`);
    assert.ok((r.message.match(/\p{L}{2,}/gu) ?? []).length >= 3, `${what}: "${r.message}" is not a sentence`);
  }
  assert.match(misuse.results['reconstruct 100 pixels'].message, /100 numbers is not a whole number of rows of 784/);
  assert.match(misuse.results['encode with label 12'].message, /label 12 is outside 0–9/);
  assert.match(misuse.results['load 5 bytes as a model'].message, /^This file is not a model file: it is too short to hold one\. \(Details: only 5 bytes/);
  assert.equal(misuse.after, 784, 'the instance still reconstructs after the bad calls');
});
