/* global T */ // the test page's own helper object, used inside page.evaluate callbacks
// The worker keeps its protocol (documented at the top of www/worker/worker.js and the modules it names):
// replies have the promised shapes, a seed and a config reproduce `step`'s
// figures, pause stops training, bad requests get readable errors and leave
// the model alone, models survive an export/import round trip, autosave
// snapshots follow training, a reload takes the dataset from the Cache API
// instead of the server, and after a trap the worker answers nothing more.
//
// Needs scripts/setup.sh to have run; site/ is rebuilt when stale.   node --test tests/web/
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { serve } from './static-server.mjs';
import { ensureSiteFresh, CHROMIUM_ARGS, CHROMIUM_PATH, ROOT, wwwFiles, patchModule } from './site.mjs';
import { until } from './harness.mjs';
import os from 'node:os';

const AE = { kind: 'ae', input: 784, hidden: [32], latent: 2, activation: 'relu', decoder: 'bernoulli' };
const VAE = { kind: 'vae', input: 784, hidden: [32], latent: 6, activation: 'relu', decoder: 'bernoulli' };
const TRAIN = { optimizer: 'adam', lr: 1e-3, batch: 32, seed: 5, disc_lr: 1e-3, gen_steps: 1 };
const AAE = { kind: 'aae', input: 784, hidden: [32], latent: 2, activation: 'relu', decoder: 'bernoulli', prior: 'mog10', aae_labels: true, disc_hidden: [16] };

let browser;
let server;
let page;

before(async () => {
  ensureSiteFresh(wwwFiles()); // the worker imports many of them
  server = await serve(ROOT + 'site');
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  page = await browser.newPage();
  // Snapshots while training come every 5 s in the page (AUTOSAVE_MS); here every quarter of a
  // second, so the autosave test below trains a quarter of a second for one, not 5 s.
  await patchModule(page.context(), 'worker/worker-files.js', 'const AUTOSAVE_MS = 5000;', 'const AUTOSAVE_MS = 250;');
  await page.goto(server.url + 'dev/test-core.html');
  // A page-side harness: workers by name, their messages, and waiting for a
  // reply. Each worker has a cursor: a wait without a message to send returns
  // the first match after the last reply consumed, so nothing is missed
  // between two calls.
  // The workers are driven through the page's own client (www/page/worker-client.js):
  // messages the test sends carry their own ids, so every reply reaches the log.
  await page.evaluate(async () => {
    const { WorkerClient } = await import('../page/worker-client.js');
    const workers = {};
    const summary = (d) => JSON.parse(JSON.stringify(d, (k, v) => (ArrayBuffer.isView(v) ? { typed: v.constructor.name, length: v.length, head: Array.from(v.slice(0, 8)) } : v instanceof ArrayBuffer ? { bytes: v.byteLength } : v instanceof Blob ? { blob: v.size } : v)));
    const wait = (entry, from, match, timeout) =>
      new Promise((ok, fail) => {
        const done = (i) => {
          entry.cursor = i + 1;
          ok(entry.log[i]);
        };
        const i = entry.log.findIndex((d, j) => j >= from && match(d));
        if (i >= 0) return done(i);
        entry.waiters.push({ from, match, done });
        setTimeout(() => fail(new Error(`no reply within ${timeout} ms`)), timeout);
      });
    window.T = {
      start(name, url = '../worker/worker.js') {
        const entry = { log: [], waiters: [], cursor: 0 };
        const receive = (d) => {
          const i = entry.log.push(d) - 1;
          const hit = entry.waiters.find((x) => i >= x.from && x.match(d));
          if (hit) {
            entry.waiters.splice(entry.waiters.indexOf(hit), 1);
            hit.done(i);
          }
        };
        entry.w = new WorkerClient(url, { onEvent: receive, onCrash: (message) => receive({ type: 'crash', message }) }).start();
        workers[name] = entry;
      },
      // Posts msg (if any); resolves with the first reply of one of `types` (or an error).
      async raw(name, msg, types, timeout = 60_000) {
        const entry = workers[name];
        const from = msg ? entry.log.length : entry.cursor;
        if (msg) entry.w.send(msg);
        return wait(entry, from, (d) => types.includes(d.type) || d.type === 'error' || d.type === 'crash', timeout);
      },
      send: async (name, msg, types) => summary(await T.raw(name, msg, types)),
      // Posts a message that has no reply.
      post: (name, msg) => workers[name].w.send(msg),
      // Posts a message whose typed arrays are built here from plain arrays.
      sendArrays(name, msg, arrays, types) {
        const m = { ...msg };
        for (const [k, [kind, values]] of Object.entries(arrays)) m[k] = kind === 'f32' ? new Float32Array(values) : new Uint8Array(values);
        return T.send(name, m, types);
      },
      messages: (name, type) => summary(workers[name].log.filter((d) => !type || d.type === type)),
      // The messages themselves, Blobs and all.
      log: (name) => workers[name].log,
      async exportBytes(name) {
        const r = await T.raw(name, { type: 'export' }, ['exported']);
        window.saved = r.bytes;
        return { filename: r.filename, size: r.bytes.byteLength };
      },
      importSaved: (name) => T.send(name, { type: 'import', bytes: window.saved.slice(0) }, ['imported']),
      // Posts msg with its `pixels` and `z` as Float32Arrays; resolves with the reply, its typed arrays as plain arrays (every value).
      async full(name, msg, types) {
        const m = { ...msg };
        for (const k of ['pixels', 'z']) if (m[k]) m[k] = new Float32Array(m[k]);
        return JSON.parse(JSON.stringify(await T.raw(name, m, types), (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v)));
      },
    };
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const send = (name, msg, types) => page.evaluate(([n, m, t]) => T.send(n, m, t), [name, msg, types]);
const sendArrays = (name, msg, arrays, types) => page.evaluate(([n, m, a, t]) => T.sendArrays(n, m, a, t), [name, msg, arrays, types]);
const messages = (name, type) => page.evaluate(([n, t]) => T.messages(n, t), [name, type]);
const gzRequests = () => server.requests.filter((p) => p.endsWith('.gz')).length;

async function initialised(name, model, train = TRAIN) {
  await page.evaluate((n) => T.start(n), name);
  const ready = await send(name, { type: 'init', model, train, dataset: 'mnist' }, ['ready']);
  assert.equal(ready.type, 'ready', JSON.stringify(ready));
  const test0 = await send(name, null, ['test']);
  assert.equal(test0.step, 0);
  return ready;
}

test('init loads MNIST with progress and replies ready with the filled-in config', async () => {
  const ready = await initialised('a', AE);
  assert.equal(ready.simd, 'relaxed-simd', 'Chromium runs the relaxed-SIMD build');
  assert.equal(ready.dataset, 'mnist');
  // The worker fills in what the message left out (the batch order's default).
  assert.deepEqual(ready.train, { ...TRAIN, batch_order: 'after_init', lr_decay: 0.8 });
  assert.equal(ready.model.kind, 'ae');
  assert.deepEqual(ready.model.init, { kind: 'auto' }, 'defaults are filled in');
  assert.equal(ready.params, 2 * (784 * 32 + 32 * 2) + 784 + 32 + 32 + 2);
  const loads = await messages('a', 'load');
  const files = new Set(loads.map((l) => l.file));
  for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) assert.ok(files.has(f), f);
  const last = loads.filter((l) => l.file === 'train-images-idx3-ubyte' && l.phase === 'decode').at(-1);
  assert.equal(last.loaded, 47_040_016, 'the decompressed training images are complete');
  assert.equal(gzRequests(), 4, 'each file downloaded once');
});

test('a second worker takes the dataset from the Cache API, not the server', async () => {
  await initialised('b', AE);
  assert.equal(gzRequests(), 4);
});

test('step n trains n batches, then reports progress and the test set; the same seed gives the same figures', async () => {
  const results = [];
  for (const name of ['a', 'b']) {
    const t = await send(name, { type: 'step', n: 30 }, ['test']);
    assert.equal(t.step, 30);
    const progress = (await messages(name, 'progress')).at(-1);
    assert.equal(progress.step, 30);
    assert.equal(progress.samplesSeen, 30 * 32);
    assert.equal(progress.running, false);
    results.push(t);
  }
  assert.deepEqual({ ...results[0], ms: 0 }, { ...results[1], ms: 0 }, 'two workers, one seed: identical test figures');
  assert.ok(results[0].loss > 0 && results[0].loss < 600, `loss ${results[0].loss} in nats per image`);
});

test('pause stops training, and the figures for the paused step follow', async () => {
  await send('a', { type: 'play' }, ['state']);
  let p;
  do p = await send('a', null, ['progress']);
  while (p.step < 40);
  assert.equal(p.running, true);
  const state = await send('a', { type: 'pause' }, ['state']);
  assert.equal(state.running, false);
  const test = await send('a', null, ['test']);
  // A later request finds the model where the test figures left it, and no progress came between.
  const exported = await send('a', { type: 'export', id: 7 }, ['exported']);
  assert.equal(Number(exported.filename.match(/step(\d+)/)[1]), test.step, 'no training after the pause');
  const later = (await messages('a', 'progress')).at(-1);
  assert.equal(later.step, test.step, 'the last progress is the paused step');
});

test('own: training reads one’s own images mixed in or alone, each class as often as a digit; a model that reads labels refuses them in words', async () => {
  await initialised('own', AE);
  const stroke = (k) => Array.from({ length: 784 }, (_, i) => (Math.abs((i % 28) - 10 - 4 * k) < 2 && i > 150 && i < 650 ? 255 : 0));
  const set = { images: ['u8', [...stroke(0), ...stroke(1), ...stroke(2)]], labels: ['u8', [0, 0, 1]] };
  const mixed = await sendArrays('own', { type: 'own', id: 1, mode: 'mixed', classes: ['bars', 'other bars'] }, set, ['own']);
  assert.deepEqual([mixed.type, mixed.mode, mixed.trainImages], ['own', 'mixed', 60_000 + 2 * 6_000], JSON.stringify(mixed));
  const only = await sendArrays('own', { type: 'own', id: 2, mode: 'only', classes: ['bars', 'other bars'] }, set, ['own']);
  assert.equal(only.trainImages, 2 * 6_000);
  assert.equal((await send('own', { type: 'step', n: 5 }, ['test'])).step, 5);
  // A CVAE built while training reads them is built with 10 + their classes, named in `ready`.
  const cvae = await send('own', { type: 'init', model: { ...AE, kind: 'cvae' }, train: TRAIN, dataset: 'mnist' }, ['ready']);
  assert.equal(cvae.model.classes, 12);
  assert.deepEqual(cvae.ownClasses, ['bars', 'other bars']);
  const told = (await messages('own', 'own')).at(-1);
  assert.deepEqual([told.mode, told.trainImages, told.pending, told.why], ['only', 12_000, false, null]);
  // A third class is one it was not built with: it waits for a rebuild, and says so.
  const three = { images: ['u8', [...stroke(0), ...stroke(1), ...stroke(2)]], labels: ['u8', [0, 1, 2]] };
  const pending = await sendArrays('own', { type: 'own', id: 3, mode: 'mixed', classes: ['bars', 'other bars', 'more'] }, three, ['own']);
  assert.equal(pending.pending, true);
  assert.equal(pending.trainImages, 60_000, 'training reads the dataset until then');
  assert.match(pending.why, /^A CVAE learns new classes only when it is built with them: press Reset to rebuild it with 13 classes/);
  const rebuilt = await send('own', { type: 'reset' }, ['ready']);
  assert.equal(rebuilt.model.classes, 13);
  assert.equal((await messages('own', 'own')).at(-1).trainImages, 60_000 + 3 * 6_000);
  assert.equal((await send('own', null, ['test'])).step, 0, 'the rebuilt model is evaluated');
  assert.equal((await send('own', { type: 'step', n: 3 }, ['test'])).step, 3);
  // A labelled AAE has one part of its prior for each of the 10 digits.
  await send('own', { type: 'init', model: AAE, train: TRAIN, dataset: 'mnist' }, ['ready']);
  const aae = (await messages('own', 'own')).at(-1);
  assert.equal(aae.mode, 'off');
  assert.match(aae.why, /^Training reads the dataset only: this model knows the 10 digit labels and cannot learn new classes\. .*\(Details: .*its prior has 10 parts, one for each label 0–9, but the data has label 12\.\)$/);
  const refused = await sendArrays('own', { type: 'own', id: 6, mode: 'only', classes: ['bars', 'other bars'] }, set, ['own']);
  assert.equal(refused.type, 'error');
  assert.match(refused.message, /cannot learn new classes/);
  const off = await send('own', { type: 'own', id: 4, mode: 'off' }, ['own']);
  assert.deepEqual([off.mode, off.trainImages], ['off', 60_000]);
  const bad = await send('own', { type: 'own', id: 5, mode: 'mixed', classes: ['x'] }, ['own']);
  assert.match(bad.message, /own needs images and labels as Uint8Arrays/);
});

test('evaluation beside training: figures while running come from the second worker, labelled with their batch, the same bits as evaluated in place', { skip: os.availableParallelism() < 2 && 'one core: evaluation stays in turns with training' }, async () => {
  const evaluationWorkers = () => page.workers().filter((w) => new URL(w.url()).pathname.endsWith('/worker/evaluation-worker.js')).length;
  const before = evaluationWorkers();
  // A VAE: its test figures draw ε, so a snapshot that lost the evaluation's generator would show.
  await initialised('beside', VAE);
  // Started when training first runs: a model that is only looked at costs no second worker.
  assert.equal(evaluationWorkers(), before, 'no evaluation worker before training runs');
  await send('beside', { type: 'play' }, ['state']);
  let t;
  do t = await send('beside', null, ['test']);
  while (!t.beside);
  assert.equal(evaluationWorkers(), before + 1, 'one evaluation worker once training ran');
  await send('beside', { type: 'pause' }, ['state']);
  assert.ok(t.step > 0);
  // The same run evaluated in place (?beside=0), stepped to the snapshot's batch.
  await page.evaluate(() => T.start('in-place', '../worker/worker.js?beside=0'));
  await send('in-place', { type: 'init', model: VAE, train: TRAIN, dataset: 'mnist' }, ['ready']);
  await send('in-place', null, ['test']);
  // (A step past an epoch's end posts that epoch's figures on the way.)
  let here = await send('in-place', { type: 'step', n: t.step }, ['test']);
  while (here.step !== t.step) here = await send('in-place', null, ['test']);
  assert.equal(here.beside, undefined, 'evaluated in place');
  const figures = (m) => Object.fromEntries(Object.entries(m).filter(([k]) => !['ms', 'beside', 'id'].includes(k)));
  assert.deepEqual(figures(t), figures(here));
});

test('the latent space’s requests while training runs are answered beside it on a snapshot, labelled with its batch, the same bits as in place at that batch', { skip: os.availableParallelism() < 2 && 'one core: they stay in turns with training' }, async () => {
  // A VAE with 2 dims: its samples, prior and grid draw noise, and its plot needs no projection whose orientation follows earlier ones.
  const vae2 = { ...VAE, latent: 2 };
  await initialised('views', vae2);
  await send('views', { type: 'play' }, ['state']);
  let t;
  do t = await send('views', null, ['test']);
  while (!t.beside);
  const digit = Array.from({ length: 784 }, (_, i) => (Math.abs((i % 28) - 14) < 3 && i > 100 && i < 700 ? 1 : 0));
  const requests = [
    [{ type: 'reconstruct', pixels: digit }, 'reconstruction'],
    [{ type: 'sample', n: 3, seed: 9 }, 'decoded'],
    [{ type: 'prior', n: 20, seed: 3 }, 'prior'],
    [{ type: 'manifold', n: 3 }, 'decoded'],
    [{ type: 'latent', limit: 200 }, 'latent'],
    [{ type: 'decode', z: [0.5, -0.5] }, 'decoded'],
    [{ type: 'sample', n: 2000 }, 'decoded'],
  ];
  const full = (name, msg, type) => page.evaluate(([n, m, ty]) => T.full(n, m, [ty]), [name, msg, type]);
  const beside = [];
  for (const [msg, type] of requests) beside.push(await full('views', msg, type));
  await send('views', { type: 'pause' }, ['state']);
  // Answered by the evaluation worker, each labelled with its snapshot's batch; a bad request still gets its error in words.
  assert.deepEqual(beside.map((r) => [r.type, r.beside]), [...requests.slice(0, -1).map(([, type]) => [type, true]), ['error', true]]);
  assert.match(beside.at(-1).message, /^sample needs n between 1 and 1000, got 2000$/);
  // (An error describes no weights: it has no batch, and is compared at the batch before it.)
  const steps = beside.map((r, i) => r.step ?? beside[i - 1].step);
  assert.equal(beside.at(-1).step, undefined);
  assert.ok(steps[0] > 0 && steps.every((s, i) => i === 0 || s >= steps[i - 1]), `snapshot batches ${steps}`);
  // The same requests in place (?beside=0), the same run stepped to each one's batch.
  await page.evaluate(() => T.start('views-here', '../worker/worker.js?beside=0'));
  await send('views-here', { type: 'init', model: vae2, train: TRAIN, dataset: 'mnist' }, ['ready']);
  let at = 0;
  for (const [i, [msg, type]] of requests.entries()) {
    if (steps[i] > at) at = (await send('views-here', { type: 'step', n: steps[i] - at, test: false }, ['stepped'])).step;
    assert.equal(at, steps[i]);
    const here = await full('views-here', msg, beside[i].type === 'error' ? 'error' : type);
    assert.equal(here.beside, undefined, 'answered in place');
    const bits = (m) => Object.fromEntries(Object.entries(m).filter(([k]) => !['beside', 'id'].includes(k)));
    assert.deepEqual(bits(beside[i]), bits(here), `${msg.type} at batch ${steps[i]}`);
  }
});

test('a plot by PCA keeps its orientation as its requests pass from the training worker to the evaluation worker and back', { skip: os.availableParallelism() < 2 && 'one core: no evaluation worker' }, async () => {
  // Each worker builds its own principal plane; an eigenvector's sign is arbitrary, so the
  // plane each builds must point the way of the one the page showed last, whichever built that.
  await initialised('orient', VAE);
  const latent = async () => {
    const r = await page.evaluate(() => T.full('orient', { type: 'latent', limit: 500 }, ['latent']));
    assert.equal(r.type, 'latent', JSON.stringify(r).slice(0, 300));
    return { beside: r.beside ?? false, step: r.step, c: r.pca.components };
  };
  const shown = [await latent()];
  for (let round = 0; round < 2; round++) {
    await send('orient', { type: 'play' }, ['state']);
    let t;
    do t = await send('orient', null, ['test']);
    while (!t.beside);
    for (let i = 0; i < 2; i++) shown.push(await latent());
    await send('orient', { type: 'pause' }, ['state']);
    shown.push(await latent());
  }
  assert.deepEqual(shown.map((s) => s.beside), [false, true, true, false, true, true, false], 'the requests passed between the workers');
  const dot = (a, b, row) => a.slice(row * 6, row * 6 + 6).reduce((s, x, j) => s + x * b[row * 6 + j], 0);
  for (let i = 1; i < shown.length; i++) {
    for (const row of [0, 1]) {
      const d = dot(shown[i].c, shown[i - 1].c, row);
      assert.ok(d >= 0, `component ${row + 1} flipped between the plot at batch ${shown[i - 1].step} (${shown[i - 1].beside ? 'beside' : 'in place'}) and at batch ${shown[i].step} (${shown[i].beside ? 'beside' : 'in place'}): dot product ${d.toFixed(3)}`);
    }
  }
});

test('when the evaluation worker fails, figures and views while running are answered in place: none is lost', { skip: os.availableParallelism() < 2 && 'one core: no evaluation worker' }, async () => {
  const context = await browser.newContext();
  // evaluator.js (which the training worker imports, so the route sees it) starts a worker whose script is missing.
  const target = './evaluation-worker.js?build=';
  await patchModule(context, 'worker/evaluator.js', target, './no-such-worker.js?build=');
  const p = await context.newPage();
  await p.goto(server.url + 'dev/test-core.html');
  const run = await p.evaluate(async ([model, train]) => {
    const { WorkerClient } = await import('../page/worker-client.js');
    const seen = [];
    let wanted = null;
    const client = new WorkerClient('../worker/worker.js', {
      onEvent: (d) => {
        if (d.type !== 'test' || d.step === 0) return;
        seen.push({ step: d.step, beside: d.beside ?? false });
        if (seen.length === 2) wanted();
      },
    }).start();
    await client.request({ type: 'init', model, train, dataset: 'mnist' });
    const two = new Promise((ok) => (wanted = ok));
    client.tell({ type: 'play' });
    // A view request while running, sent to the failing worker or after it failed: answered in place either way.
    const sample = await client.request({ type: 'sample', n: 2, seed: 1 });
    await two;
    client.tell({ type: 'pause' });
    return { seen, sample: [sample.type, sample.n, sample.beside ?? false] };
  }, [AE, TRAIN]);
  const { seen: tests, sample } = run;
  assert.deepEqual(sample, ['decoded', 2, false]);
  assert.deepEqual(tests.map((t) => t.beside), [false, false], JSON.stringify(tests));
  assert.ok(tests[1].step > tests[0].step);
  await context.close();
});

test('reconstruct, latent, decode, sample, manifold and interpolate reply with the promised shapes', async () => {
  const digit = Array.from({ length: 784 }, (_, i) => (Math.abs((i % 28) - 14) < 3 && i > 100 && i < 700 ? 1 : 0));
  const r = await sendArrays('a', { type: 'reconstruct', id: 1 }, { pixels: ['f32', digit] }, ['reconstruction']);
  assert.equal(r.id, 1);
  assert.equal(r.pixels.length, 784);
  assert.equal(r.code.length, 2);
  assert.equal(r.logvar, null, 'a plain AE has no posterior variance');
  assert.deepEqual(r.xy.head, r.code.head, 'with two latent dimensions the plot shows the code itself');
  const l = await send('a', { type: 'latent', limit: 500 }, ['latent']);
  assert.equal(l.xy.length, 1000);
  assert.equal(l.labels.length, 500);
  assert.equal(l.projection, 'none');
  assert.equal(l.dims, 2);
  const d = await sendArrays('a', { type: 'decode', id: 2 }, { xy: ['f32', [0, 0, 1, -1, 2, 2]] }, ['decoded']);
  assert.deepEqual([d.id, d.n, d.pixels.length], [2, 3, 3 * 784]);
  assert.ok(d.pixels.head.every((v) => v >= 0 && v <= 1), 'decoder means are in [0, 1]');
  const s = await send('a', { type: 'sample', id: 3, n: 5 }, ['decoded']);
  assert.deepEqual([s.id, s.n, s.pixels.length], [3, 5, 5 * 784]);
  const m = await send('a', { type: 'manifold', id: 4, n: 6 }, ['decoded']);
  assert.deepEqual([m.id, m.n, m.pixels.length, m.xy.length], [4, 36, 36 * 784, 72]);
  assert.ok(m.xy.head[1] > 0 && m.xy.head[0] < m.xy.head[2], 'first row at the top, x increasing along it');
  const i = await sendArrays('a', { type: 'interpolate', id: 5, steps: 7 }, { a: ['f32', digit], b: ['f32', digit.map((v) => 1 - v)] }, ['decoded']);
  assert.deepEqual([i.id, i.n, i.pixels.length], [5, 7, 7 * 784]);
});

/** Posts msg and returns the reply with its typed arrays as plain arrays (in full). */
const whole = (name, msg, types) =>
  page.evaluate(async ([n, m, t]) => JSON.parse(JSON.stringify(await T.raw(n, m, t), (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v))), [name, msg, types]);

test('corrupt and sample take their noise from the seeded core: the same seed gives the same images', async () => {
  const model = (await messages('a', 'ready')).at(-1).model;
  const ones = new Array(784).fill(1);
  const c1 = await whole('a', { type: 'corrupt', id: 31, pixels: ones, seed: 1 }, ['corrupted']);
  const c1again = await whole('a', { type: 'corrupt', id: 32, pixels: ones, seed: 1 }, ['corrupted']);
  const c2 = await whole('a', { type: 'corrupt', id: 33, pixels: ones, seed: 2 }, ['corrupted']);
  assert.deepEqual([c1.type, c1.id, c1.pixels.length, c2.id], ['corrupted', 31, 784, 33]);
  assert.deepEqual(c1again.pixels, c1.pixels, 'one seed, one corruption');
  assert.notDeepEqual(c2.pixels, c1.pixels, 'another seed, another corruption');
  assert.equal(model.noise, 'mask');
  // Mask noise drops each pixel with probability noise_level: of 784 pixels,
  // the dropped fraction's standard deviation is under 0.02; we allow 0.08.
  assert.ok(c1.pixels.every((v) => v === 0 || v === 1), 'masked pixels are 0, the others untouched');
  const dropped = c1.pixels.filter((v) => v === 0).length / 784;
  assert.ok(Math.abs(dropped - model.noise_level) < 0.08, `dropped ${dropped}, noise level ${model.noise_level}`);
  const s1 = await whole('a', { type: 'sample', id: 34, n: 3, seed: 5 }, ['decoded']);
  const s1again = await whole('a', { type: 'sample', id: 35, n: 3, seed: 5 }, ['decoded']);
  const s2 = await whole('a', { type: 'sample', id: 36, n: 3, seed: 6 }, ['decoded']);
  assert.deepEqual(s1again.pixels, s1.pixels, 'one seed, the same samples from an unchanged model');
  assert.notDeepEqual(s2.pixels, s1.pixels);
  const perLabel = await send('a', { type: 'sample', id: 38, n: 3, seed: 5, labels: [0, 1, 2] }, ['decoded']);
  assert.deepEqual([perLabel.id, perLabel.n], [38, 3], 'one label per sample is accepted');
  const tooFew = await send('a', { type: 'sample', id: 39, n: 3, seed: 5, labels: [0] }, ['decoded']);
  assert.match(tooFew.message, /1 labels for 3 images/);
  const bad = await send('a', { type: 'sample', id: 37, n: 3, seed: -1 }, ['decoded']);
  assert.deepEqual([bad.type, bad.id], ['error', 37]);
  assert.match(bad.message, /seed -1 is not a whole number/);
});

test('replies to init, play, pause, step, latent and export carry their request id', async () => {
  const ready = await send('b', { type: 'reset', id: 41 }, ['ready']);
  assert.equal(ready.id, 41);
  await send('b', null, ['test']);
  const t = await send('b', { type: 'step', id: 42, n: 3 }, ['test']);
  assert.deepEqual([t.id, t.step], [42, 3]);
  const l = await send('b', { type: 'latent', id: 43, limit: 10 }, ['latent']);
  assert.equal(l.id, 43);
  const playing = await send('b', { type: 'play', id: 44 }, ['state']);
  assert.deepEqual([playing.id, playing.running], [44, true]);
  const paused = await send('b', { type: 'pause', id: 45 }, ['state']);
  assert.deepEqual([paused.id, paused.running], [45, false]);
  const figures = await send('b', null, ['test']);
  assert.equal(figures.id, undefined, 'the figures after a pause answer no step');
  const ex = await page.evaluate(() => T.raw('b', { type: 'export', id: 46 }, ['exported']).then((r) => r.id));
  assert.equal(ex, 46);
});

test('a VAE with 6 latent dimensions is plotted by PCA, with the basis and posterior spread', async () => {
  await initialised('v', VAE);
  await send('v', { type: 'step', n: 50 }, ['test']);
  const l = await send('v', { type: 'latent' }, ['latent']);
  assert.equal(l.projection, 'pca');
  assert.equal(l.dims, 6);
  assert.equal(l.xy.length, 4000);
  assert.equal(l.pca.components.length, 12);
  assert.ok(l.pca.variance[0] >= l.pca.variance[1] && l.pca.variance[1] > 0);
  assert.ok(l.pca.explained > 0 && l.pca.explained <= 1);
  const r = await sendArrays('v', { type: 'reconstruct', id: 7 }, { pixels: ['f32', new Array(784).fill(0.2)] }, ['reconstruction']);
  assert.equal(r.code.length, 6);
  assert.equal(r.logvar.length, 6);
  assert.equal(r.xy.length, 2);
  assert.ok(r.xyStd.head.every((v) => v > 0));
});

test("an AAE's prior cloud comes from the seeded core, its figures name the game, and a model without a prior says so", async () => {
  await initialised('g', AAE);
  const t = await send('g', { type: 'step', id: 51, n: 5 }, ['test']);
  assert.equal(t.id, 51);
  assert.ok(t.disc_accuracy >= 0 && t.disc_accuracy <= 1 && t.disc_loss > 0 && t.gen_loss > 0, JSON.stringify(t));
  // The fit to the prior: an unbiased MMD² (near 0, either sign) and the share of codes in their own class's part.
  assert.ok(Math.abs(t.prior_mmd2) < 5 && t.own_part >= 0 && t.own_part <= 1, JSON.stringify(t));
  const train = (await messages('g', 'progress')).at(-1).train;
  assert.ok(train.disc_accuracy >= 0 && train.disc_accuracy <= 1 && train.gen_loss > 0, JSON.stringify(train));
  const p1 = await whole('g', { type: 'prior', id: 52, n: 400, seed: 7 }, ['prior']);
  const p1again = await whole('g', { type: 'prior', id: 53, n: 400, seed: 7 }, ['prior']);
  const p2 = await whole('g', { type: 'prior', id: 54, n: 400, seed: 8 }, ['prior']);
  assert.deepEqual([p1.type, p1.id, p1.xy.length, p2.id], ['prior', 52, 800, 54]);
  assert.deepEqual(p1again.xy, p1.xy, 'one seed, one cloud');
  assert.notDeepEqual(p2.xy, p1.xy);
  // Ten Gaussians on a circle of radius 1.4 (radial std 0.5): the cloud is a ring.
  const radii = [];
  for (let i = 0; i < p1.xy.length; i += 2) radii.push(Math.hypot(p1.xy[i], p1.xy[i + 1]));
  const mean = radii.reduce((a, b) => a + b, 0) / radii.length;
  assert.ok(Math.abs(mean - 1.4) < 0.15, `mean radius ${mean}`);
  const grid = await send('g', { type: 'manifold', id: 55, n: 4 }, ['decoded']);
  assert.deepEqual([grid.id, grid.n, grid.xy.length], [55, 16, 32]);
  assert.ok(Math.abs(grid.xy.head[0] + 1.8) < 1e-6, `the grid starts at the mixture's support's corner: ${grid.xy.head}`);
  const none = await send('a', { type: 'prior', id: 56, n: 10 }, ['prior']);
  assert.deepEqual([none.type, none.id, none.request], ['error', 56, 'prior']);
  assert.match(none.message, /has no prior/);
});

test("a hash model trains in the worker, and its code is logistic units between 0 and 1", async () => {
  await initialised('h', { ...AE, kind: 'hash', latent: 8, code_noise: 16 });
  const t = await send('h', { type: 'step', id: 61, n: 20 }, ['test']);
  assert.ok(t.loss > 0 && t.loss < 600, JSON.stringify(t));
  const digit = Array.from({ length: 784 }, (_, i) => (Math.abs((i % 28) - 14) < 3 && i > 100 && i < 700 ? 1 : 0));
  const r = await sendArrays('h', { type: 'reconstruct', id: 62 }, { pixels: ['f32', digit] }, ['reconstruction']);
  assert.equal(r.code.length, 8);
  assert.ok(r.code.head.every((c) => c > 0 && c < 1), `codes ${r.code.head}`);
  assert.equal(r.pixels.length, 784);
});

test('a VAE-GAN trains in the worker with its game\'s figures, and samples from its prior', async () => {
  await initialised('v', { ...VAE, kind: 'vaegan', disc_hidden: [32], pixel_weight: 1 });
  const t = await send('v', { type: 'step', id: 71, n: 10 }, ['test']);
  assert.ok(t.kl > 0 && t.recon > 0 && t.disc_accuracy >= 0 && t.disc_accuracy <= 1 && t.gen_loss > 0, JSON.stringify(t));
  assert.ok(Math.abs(t.loss - (t.recon + t.kl)) < 1e-3 * t.loss, 'recon + KL is the loss (β = 1)');
  const s = await send('v', { type: 'sample', id: 72, n: 4 }, ['decoded']);
  assert.deepEqual([s.id, s.n, s.pixels.length], [72, 4, 4 * 784]);
});

test('bad requests get readable errors with their id, and the worker carries on', async () => {
  const e = await sendArrays('a', { type: 'reconstruct', id: 9 }, { pixels: ['f32', new Array(100).fill(0)] }, ['reconstruction']);
  assert.equal(e.type, 'error');
  assert.equal(e.where, 'request');
  assert.equal(e.id, 9);
  assert.match(e.message, /100 numbers is not a whole number of rows of 784/);
  const c = await send('a', { type: 'classes', id: 10, pixels: null }, ['decoded']);
  assert.equal(c.where, 'request');
  assert.match(c.message, /conditional/);
  const bad = await send('a', { type: 'init', model: { kind: 'gan' }, train: TRAIN, dataset: 'mnist' }, ['ready']);
  assert.equal(bad.where, 'init');
  assert.match(bad.message, /unknown variant `gan`/);
  const ok = await send('a', { type: 'sample', id: 11, n: 2 }, ['decoded']);
  assert.equal(ok.n, 2, 'the old model still answers');
});

test('export then import gives back the same model; a broken file leaves the current one untouched', async () => {
  const before = (await messages('a', 'test')).at(-1);
  const exported = await page.evaluate(() => T.exportBytes('a'));
  assert.match(exported.filename, /^ae-784-32-2-mnist-step\d+\.safetensors$/);
  const broken = await send('a', { type: 'import', bytes: null }, ['imported']);
  assert.equal(broken.type, 'error');
  const garbage = await page.evaluate(() => T.send('a', { type: 'import', bytes: new Uint8Array(64).buffer }, ['imported']));
  assert.equal(garbage.where, 'import');
  assert.match(garbage.message, /^This file is not a model file: its header cannot be read\. \(Details: /);
  await send('a', { type: 'init', model: VAE, train: TRAIN, dataset: 'mnist' }, ['ready']);
  const imported = await page.evaluate(() => T.importSaved('a'));
  assert.equal(imported.type, 'imported');
  assert.equal(imported.model.kind, 'ae');
  assert.deepEqual(imported.train, { ...TRAIN, batch_order: 'after_init', lr_decay: 0.8 });
  assert.equal(imported.step, before.step);
  assert.equal(imported.dataset, 'mnist', 'the file names the dataset it was trained on');
  const after = await send('a', null, ['test']);
  assert.deepEqual({ ...after, ms: 0 }, { ...before, ms: 0 }, 'the imported model scores exactly as before');
});

test('a learning rate that blows up reports divergence and pauses', async () => {
  await send('a', { type: 'init', model: VAE, train: { ...TRAIN, optimizer: 'sgd', lr: 50 }, dataset: 'mnist' }, ['ready']);
  const d = await send('a', { type: 'play' }, ['diverged']);
  assert.equal(d.type, 'diverged');
  assert.match(d.message, /diverged.*rolled back/);
  const state = await send('a', null, ['state']);
  assert.equal(state.running, false);
});

test('with autosave on, snapshots follow training: when a step ends, every few seconds of play, on pause, and on request', async () => {
  await initialised('s', AE);
  // Off until the page turns it on (lessons and compare mode never do).
  await send('s', { type: 'step', n: 2 }, ['test']);
  assert.equal((await messages('s', 'snapshot')).length, 0);
  await page.evaluate(() => T.post('s', { type: 'autosave', on: true }));
  const snap = await send('s', { type: 'step', n: 1 }, ['snapshot']);
  assert.deepEqual([snap.step, snap.epoch, snap.samplesSeen, snap.dataset, snap.model.kind, snap.train.seed], [3, 0, 96, 'mnist', 'ae', TRAIN.seed]);
  assert.ok(snap.blob.blob > 2 * 4 * 784 * 32, `a snapshot of ${snap.blob.blob} bytes holds the weights and Adam's moments`);
  assert.ok(snap.ms >= 0 && snap.blobMs >= 0);
  // Nothing has changed since: a request is answered without a snapshot.
  const none = await send('s', { type: 'snapshot', id: 77 }, ['snapshot']);
  assert.deepEqual([none.id, none.blob], [77, null]);
  // Playing: one after AUTOSAVE_MS of training (a quarter of a second here, above).
  await send('s', { type: 'play' }, ['state']);
  const during = await send('s', null, ['snapshot']);
  assert.ok(during.step > 3, `step ${during.step}`);
  // Paused, the last snapshot is the paused model, byte for byte the export:
  // the pause takes one if a batch ran since the timer's, and else the
  // timer's already is. (The export's reply comes after every earlier message.)
  await send('s', { type: 'pause' }, ['state']);
  const paused = await page.evaluate(async () => {
    const e = await T.raw('s', { type: 'export' }, ['exported']);
    const s = T.log('s').filter((d) => d.type === 'snapshot' && d.blob).at(-1);
    const [a, b] = [new Uint8Array(await s.blob.arrayBuffer()), new Uint8Array(e.bytes)];
    return { step: s.step, exportStep: Number(e.filename.match(/step(\d+)/)[1]), same: a.length === b.length && a.every((v, i) => v === b[i]) };
  });
  assert.ok(paused.step >= during.step && paused.step === paused.exportStep, JSON.stringify(paused));
  assert.ok(paused.same, 'the last snapshot is byte for byte the export');
  const later = await send('s', { type: 'snapshot', id: 78 }, ['snapshot']);
  assert.deepEqual([later.id, later.blob], [78, null], 'nothing changed since');
});

test('after a trap in a request the worker answers nothing more, even with a test evaluation under way', async () => {
  // A trap needs a request the core cannot survive, and validation refuses
  // every one we know; so latent-space.js is served with `reconstruct`
  // throwing what a trap throws (a WebAssembly.RuntimeError). The trap comes
  // while the test evaluation after `step` is spread over the worker's time
  // slices: once the worker said `crashed`, a slice still queued must not
  // run on the broken core and post more.
  const context = await browser.newContext();
  const target = 'reconstruct(msg) {';
  await patchModule(context, 'worker/latent-space.js', target, `${target} throw new WebAssembly.RuntimeError('unreachable');`);
  const p = await context.newPage();
  await p.goto(server.url + 'dev/test-core.html');
  await p.evaluate(async ([model, train]) => {
    const { WorkerClient } = await import('../page/worker-client.js');
    const log = [];
    const waiters = [];
    const next = (type) => new Promise((ok) => waiters.push({ type, ok }));
    const client = new WorkerClient('../worker/worker.js', {
      onEvent: (d) => {
        log.push(d.type);
        for (const w of waiters.filter((w) => w.type === d.type)) waiters.splice(waiters.indexOf(w), 1), w.ok();
      },
      onCrash: () => {
        log.push('crashed');
        for (const w of waiters.filter((w) => w.type === 'crashed')) waiters.splice(waiters.indexOf(w), 1), w.ok();
      },
    }).start();
    const tested = next('test');
    client.send({ type: 'init', model, train, dataset: 'mnist' });
    await tested; // the new model's own evaluation
    log.length = 0;
    const started = next('evaluating');
    client.send({ type: 'step', n: 1 });
    await started; // the test set is being evaluated, a slice at a time
    const crashed = next('crashed');
    client.send({ type: 'reconstruct', id: 1, pixels: new Float32Array(784) });
    await crashed;
    window.crashLog = log;
    window.marked = next('marker');
  }, [{ kind: 'vae', input: 784, hidden: [512], latent: 20, activation: 'relu', decoder: 'bernoulli' }, TRAIN]);
  // The evaluation's next slice was queued before the trap: once it has run
  // (and found the loop halted), the worker posts a marker, which reaches the
  // page after anything that slice might have posted.
  const worker = p.workers().find((w) => new URL(w.url()).pathname.endsWith('/worker/worker.js')); // not the evaluation worker
  await until(() => worker.evaluate(() => self.haltedTicks() >= 1 && (postMessage({ type: 'marker' }), true)), { what: 'the queued slice to run' });
  const log = await p.evaluate(async () => (await window.marked, window.crashLog));
  await context.close();
  const crashed = log.indexOf('crashed');
  assert.ok(crashed >= 0, `the worker said it crashed: ${log.join(', ')}`);
  assert.deepEqual(log.slice(crashed + 1), ['marker'], `nothing after crashed: ${log.join(', ')}`);
});
