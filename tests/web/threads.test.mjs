// Threads in the browser (src/threads.rs, www/worker/thread-pool.js, www/page/service-worker-setup.js).
//
// - Under COOP/COEP (the test server sends them as scripts/serve.py does)
//   the worker runs the threaded build; a run with 2 threads (and 4, for the
//   AE) splits its GEMMs over helper workers and ends with the same loss and
//   the same model file, byte for byte, as with 1 thread, for an AE and a VAE.
// - The page offers the thread count; choosing 2 after the page has evaluated
//   its model starts the helpers, and training then splits its GEMMs and
//   exports the same file as the same steps on 1 thread.
// - Without isolation (no headers, service workers blocked) the page runs the
//   unthreaded build and says "1 thread: this page is not cross-origin isolated".
// - Without headers but with service workers, www/service-worker.js makes
//   the page isolated after one reload, and the threaded build runs.
// Speed is scripts/bench-wasm.mjs's business (--engines threads); this file
// asserts only behaviour.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, ensureSite, exportedSha, launch, SITE, step, waitForStatus } from './harness.mjs';
import { serve } from './static-server.mjs';
import { defaultThreads } from '../../www/worker/thread-pool.js';

const AE = { type: 'init', model: { kind: 'ae', input: 784, hidden: [256], latent: 8 }, train: { batch: 100, lr: 0.002, seed: 3 }, dataset: 'mnist' };
const VAE = { type: 'init', model: { kind: 'vae', input: 784, hidden: [256], latent: 4 }, train: { batch: 100, lr: 0.002, seed: 5 }, dataset: 'mnist' };
const STEPS = 8;

let browser;
let isolated;
let plain;

before(async () => {
  ensureSite();
  isolated = await serve(SITE);
  plain = await serve(SITE, {}, { isolated: false });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await isolated?.close();
  await plain?.close();
});

/**
 * A worker started as `worker.js?threads=N` on test-core.html: `init`, STEPS
 * batches in one request, then the export's SHA-256. Also how many GEMMs the
 * core split over threads (read in the worker itself).
 */
async function runWorker(url, init, threads) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url + 'dev/test-core.html');
  const r = await page.evaluate(
    async ([init, threads, steps]) => {
      const { WorkerClient } = await import('../page/worker-client.js');
      const client = new WorkerClient(`../worker/worker.js?threads=${threads}`).start();
      const ready = await client.request(init);
      const test = await client.request({ type: 'step', n: steps });
      const { bytes } = await client.request({ type: 'export' });
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      return { isolated: self.crossOriginIsolated, threads: ready.threads, simd: ready.simd, loss: test.loss, sha: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('') };
    },
    [init, threads, STEPS],
  );
  const worker = page.workers().find((w) => w.url().includes(`worker.js?threads=${threads}`));
  r.splitGemms = await worker.evaluate(() => self.splitGemms());
  await context.close();
  return r;
}

// 4 threads for the AE only: on a 2-core machine it is the slowest run, and
// the native test (tests/threads.rs) covers 3 and 4 threads for both.
for (const [name, init, counts] of [['an AE', AE, [2, 4]], ['a VAE', VAE, [2]]]) {
  test(`${name} trained on ${counts.join(' and ')} threads ends with the loss and model file of 1 thread, bit for bit`, async () => {
    const one = await runWorker(isolated.url, init, 1);
    assert.equal(one.isolated, true, 'the test server makes the page cross-origin isolated');
    assert.deepEqual(one.threads, { n: 1, max: 4, why: null }, 'the worker runs the threaded build');
    assert.equal(one.simd, 'relaxed-simd');
    assert.equal(one.splitGemms, 0, 'one thread splits nothing');
    for (const n of counts) {
      const many = await runWorker(isolated.url, init, n);
      assert.deepEqual(many.threads, { n, max: 4, why: null });
      // Forward and both backward GEMMs of each layer, every batch, plus the evaluations.
      assert.ok(many.splitGemms >= 3 * STEPS, `${n} threads split only ${many.splitGemms} GEMMs`);
      assert.equal(many.loss, one.loss, `${n} threads: test loss after ${STEPS} batches`);
      assert.equal(many.sha, one.sha, `${n} threads: the exported model file`);
    }
  });
}

/** The playground in a fresh context; `serviceWorkers: 'block'` keeps service-worker-setup.js from registering the site's worker. */
async function openPage(url, hash, { serviceWorkers = 'allow' } = {}) {
  const context = await browser.newContext({ serviceWorkers, acceptDownloads: true });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  await page.goto(`${url}#${hash}&autoplay=0`);
  await waitForStatus(page, /^Ready$/, 90_000);
  return page;
}

const HASH = 'model=ae&hidden=256&latent=8&batch=100&lr=0.002&seed=3';

test('training gets half the cores, or all but one while a second worker evaluates beside it; 1 to 4', () => {
  assert.deepEqual([1, 2, 4, 8, 16].map((c) => defaultThreads(c)), [1, 1, 2, 4, 4]);
  assert.deepEqual([1, 2, 4, 8, 16].map((c) => defaultThreads(c, true)), [1, 1, 3, 4, 4]);
});

test('the page offers the thread count, and 2 threads export the same model as 1 after the same steps', async () => {
  const shas = [];
  for (const n of ['1', '2']) {
    const page = await openPage(isolated.url, HASH);
    const select = page.locator(byTestId('threads'));
    assert.equal(await select.isVisible(), true, 'the thread count is offered');
    assert.equal(await page.locator(byTestId('threads-note')).textContent(), '');
    await select.selectOption(n);
    await step(page, 3);
    // The page had evaluated its model before the count was chosen: the helpers must start even so.
    assert.equal(await page.locator(byTestId('threads-note')).textContent(), '', `${n} thread(s): the page's note`);
    const worker = page.workers().find((w) => new URL(w.url()).pathname.endsWith('/worker/worker.js'));
    const split = await worker.evaluate(() => self.splitGemms());
    assert.ok(n === '1' ? split === 0 : split >= 3 * 3, `${n} thread(s) split ${split} GEMMs`);
    shas.push(await exportedSha(page));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
  assert.equal(shas[1], shas[0], 'the model file after 3 steps on 2 threads equals 1 thread’s');
});

test('without cross-origin isolation the page runs one thread and says why', async () => {
  const page = await openPage(plain.url, HASH, { serviceWorkers: 'block' });
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), false);
  assert.equal(await page.locator(byTestId('threads-note')).textContent(), '1 thread: this page is not cross-origin isolated');
  assert.equal(await page.locator(byTestId('threads')).isVisible(), false, 'no thread count to choose');
  await step(page, 1); // and it trains
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('on a host without the headers, the service worker makes the page isolated after one reload', async () => {
  const page = await openPage(plain.url, HASH);
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), true, 'isolated through service-worker.js');
  assert.equal(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), true);
  assert.equal(await page.locator(byTestId('threads')).isVisible(), true);
  await page.locator(byTestId('threads')).selectOption('2');
  await step(page, 1);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
