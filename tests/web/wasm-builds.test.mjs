// The core's three builds (relaxed SIMD, simd128, no SIMD; scripts/build-site.sh)
// and how a browser picks one (www/worker/wasm-build.js).
//
// Selection: each build validates exactly where its probe module validates,
// checked in Node with relaxed SIMD switched on and off (V8 flags): with it
// off, as in Safari, the relaxed build fails to validate as a whole and the
// simd128 build is chosen; the fallbacks carry no relaxed instruction.
//
// Numbers: www/dev/test-core.html?build=… runs core_fingerprint's cases (20
// training steps of small models on 1,000 MNIST images) in each build, twice.
//   - Within a build, a seed gives the same run bit for bit.
//   - Across builds (and against native), initial weights are bit-identical,
//     forward-only figures agree to 1e-6 and trained ones to 1e-4, relative:
//     the builds differ only in rounding (a fused multiply-add in the relaxed
//     kernel, another summation order per kernel), the tolerances of
//     tests/web/wasm-core.test.mjs. Measured here (x86-64, Chromium 156):
//     forward figures agree exactly, trained ones to one f32 ulp (1.2e-7), and
//     the relaxed build matches native exactly (both use fused multiply-adds).
//
// Needs scripts/setup.sh to have run; site/ is rebuilt when stale.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { serve } from './static-server.mjs';
import { BUILDS, cargoNative, ensureSiteFresh, launchChromium, ROOT, worst, wwwFiles } from './site.mjs';

const FORWARD_TOL = 1e-6;
const TRAINED_TOL = 1e-4;
const REPORTS = { relaxed: 'relaxed-simd', simd: 'simd128', plain: 'none' };

let native;
let browser;
let server;
let page;
/** build -> [first run, second run] of the fingerprint */
const runs = {};

before(async () => {
  ensureSiteFresh(wwwFiles()); // the worker imports many of them
  native = JSON.parse(cargoNative('run', ['--example', 'core_fingerprint'], { encoding: 'utf8', maxBuffer: 1 << 24 }));
  server = await serve(ROOT + 'site');
  browser = await launchChromium();
  page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  for (const b of BUILDS) {
    await page.goto(`${server.url}dev/test-core.html?build=${b}`);
    await page.waitForFunction(() => window.runFingerprint, null, { timeout: 30_000 });
    runs[b] = [await page.evaluate((spec) => window.runFingerprint(spec), native), await page.evaluate((spec) => window.runFingerprint(spec), native)];
  }
  assert.deepEqual(errors, [], 'the test page raised errors');
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** What www/worker/wasm-build.js sees in a Node with `flags`: supported builds, and which builds' binaries validate. */
function inNode(flags) {
  const script = `
    import { readFileSync } from 'node:fs';
    import { supportedBuilds, PROBES } from './www/worker/wasm-build.js';
    const binaries = Object.fromEntries(${JSON.stringify(BUILDS)}.map((b) => [b, WebAssembly.validate(readFileSync('site/pkg/' + b + '/ae_playground_bg.wasm'))]));
    const broken = PROBES.relaxed.slice();
    broken.set([0xfd, 0xff, 0x03], broken.length - 4); // opcode 0x1ff: no such SIMD instruction
    console.log(JSON.stringify({ supported: supportedBuilds(), binaries, broken: WebAssembly.validate(broken) }));`;
  const r = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) return { error: r.stderr };
  return JSON.parse(r.stdout);
}

for (const [relaxed, flag] of [
  [true, '--experimental-wasm-relaxed-simd'],
  [false, '--no-experimental-wasm-relaxed-simd'],
]) {
  test(`with relaxed SIMD ${relaxed ? 'on' : 'off'} each build validates exactly when its probe does`, (t) => {
    const seen = inNode([flag]);
    if (seen.error) return t.skip(`this Node does not take ${flag}: ${seen.error.split('\n')[0]}`);
    assert.deepEqual(seen.supported, relaxed ? BUILDS : ['simd', 'plain']);
    for (const b of BUILDS) assert.equal(seen.binaries[b], seen.supported.includes(b), `${b}: the binary validates ${seen.binaries[b]}, its probe ${seen.supported.includes(b)}`);
    assert.equal(seen.broken, false, 'a probe with an unknown opcode fails: validation can say no');
  });
}

test('Chromium supports all three builds and each page runs the one it asked for', async () => {
  await page.goto(`${server.url}dev/test-core.html`);
  const supported = await page.evaluate(async () => (await import('../worker/wasm-build.js')).supportedBuilds());
  assert.deepEqual(supported, BUILDS);
  for (const b of BUILDS) for (const run of runs[b]) assert.equal(run.simd, REPORTS[b], `?build=${b}`);
});

test('an unknown build is refused with a readable error, not replaced by another', async () => {
  await page.goto(`${server.url}dev/test-core.html`);
  const message = await page.evaluate(async () => {
    const { loadCore } = await import('../worker/wasm-build.js');
    return loadCore('fast').then(() => null, (e) => e.message);
  });
  assert.match(message, /unknown wasm build "fast" \(one of threads, relaxed, simd, plain\)/);
});

test('worker.js?build=plain runs the build without SIMD and says so in ready', async () => {
  await page.goto(`${server.url}dev/test-core.html`);
  const ready = await page.evaluate(async () => {
    const { WorkerClient } = await import('../page/worker-client.js');
    const client = new WorkerClient('../worker/worker.js?build=plain').start();
    const model = { kind: 'ae', input: 784, hidden: [16], latent: 2 };
    const reply = await client.request({ type: 'init', model, train: { seed: 1 }, dataset: 'mnist' });
    client.terminate();
    return { type: reply.type, simd: reply.simd };
  });
  assert.deepEqual(ready, { type: 'ready', simd: 'none' });
});

test('within each build, a seed gives the same run bit for bit', () => {
  for (const b of BUILDS) {
    const [first, second] = runs[b];
    first.cases.forEach((c, i) => {
      const d = second.cases[i];
      assert.equal(d.final_checksum, c.final_checksum, `${b} ${c.name}: trained weights`);
      assert.deepEqual(d.losses, c.losses, `${b} ${c.name}: losses`);
      assert.deepEqual(d.final, c.final, `${b} ${c.name}: test figures`);
    });
  }
});


test(`across builds and against native: same initial weights, forward figures to ${FORWARD_TOL}, trained ones to ${TRAINED_TOL}`, () => {
  const others = [['native', native], ...BUILDS.slice(1).map((b) => [b, runs[b][0]])];
  for (const [name, other] of others) {
    runs.relaxed[0].cases.forEach((r, i) => {
      const o = other.cases[i];
      assert.equal(o.init_checksum, r.init_checksum, `${name} ${r.name}: initial weights`);
      const initial = worst(r.initial, o.initial);
      const losses = worst(r.losses, o.losses);
      const final = worst(r.final, o.final);
      console.log(`relaxed vs ${name}, ${r.name}: largest relative difference ${initial.max.toExponential(1)} untrained, ${losses.max.toExponential(1)} losses, ${final.max.toExponential(1)} trained`);
      assert.ok(initial.max <= FORWARD_TOL, `${name} ${r.name}: untrained figure ${initial.at}: ${r.initial[initial.at]} vs ${o.initial[initial.at]}`);
      assert.ok(losses.max <= TRAINED_TOL, `${name} ${r.name}: loss ${losses.at + 1}: ${r.losses[losses.at]} vs ${o.losses[losses.at]}`);
      assert.ok(final.max <= TRAINED_TOL, `${name} ${r.name}: trained figure ${final.at}: ${r.final[final.at]} vs ${o.final[final.at]}`);
    });
  }
});

test('the SIMD builds\' own GEMM sums as matrixmultiply does in the browser (src/gemm/check.rs), and the build without SIMD says it has none', async () => {
  for (const b of ['relaxed', 'simd']) {
    await page.goto(`${server.url}dev/test-core.html?build=${b}`);
    await page.waitForFunction(() => window.gemmCheck, null, { timeout: 30_000 });
    const cases = await page.evaluate(() => window.gemmCheck(7));
    assert.ok(cases > 500, `${b}: only ${cases} cases compared`);
  }
  await page.goto(`${server.url}dev/test-core.html?build=plain`);
  await page.waitForFunction(() => window.gemmCheck, null, { timeout: 30_000 });
  const refused = await page.evaluate(() => window.gemmCheck(7).then(() => 'ran', (e) => e.message));
  assert.match(refused, /multiplies with matrixmultiply/);
});

test('the builds do differ in rounding somewhere (the comparison is not of one build with itself)', () => {
  const same = (a, b) => a.cases.every((c, i) => c.final_checksum === b.cases[i].final_checksum);
  assert.ok(!same(runs.relaxed[0], runs.plain[0]) || !same(runs.simd[0], runs.plain[0]), 'relaxed, simd and plain trained bit-identical weights');
});
