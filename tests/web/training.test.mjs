// The page loads real MNIST, a Web Worker trains the default model, the test
// loss on the 10,000 test images falls, and the page answers a drawing while
// it trains. How fast, and how long the main thread's tasks are, is measured
// by scripts/bench-page.mjs: times are figures, not assertions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open, byTestId, waitForStatus, waitForTestAt, waitForTestCurrent, testLoss, draw, until, ZERO, SEVEN } from './harness.mjs';

let env;
before(async () => (env = await setup()));
after(() => env?.close());

// Installed before the page's own scripts: every status text.
function watch() {
  window.__statuses = [];
  document.addEventListener('DOMContentLoaded', () => {
    const el = document.querySelector('[data-testid="status"]');
    const note = () => window.__statuses.push(el.textContent);
    note();
    new MutationObserver(note).observe(el, { childList: true, characterData: true, subtree: true });
  });
}

test('the default model trains on MNIST in a worker: training advances, the test loss falls, and a drawing is answered while it trains', async (t) => {
  const page = await open(env, '', { init: watch });
  const statuses = await page.evaluate(() => window.__statuses);
  assert.ok(statuses.some((s) => /^Loading MNIST… \d+%$/.test(s)), `statuses seen: ${statuses.join(' | ')}`);
  assert.equal(await page.locator('#stat-simd').textContent(), 'relaxed SIMD', 'Chromium runs the relaxed-SIMD build');
  assert.match(await page.locator('#stat-params').textContent(), /^\d{1,3}(,\d{3})+$/);

  // The untrained model's test loss comes first. Its output bias starts at
  // the mean image's logits, so it is near the mean-image predictor's ≈ 206
  // nats plus the KL term and the random weights' noise.
  await waitForTestAt(page, 0);
  const before = Number(await testLoss(page));
  assert.ok(before > 200, `untrained test loss ${before}`);

  await page.locator(byTestId('train-toggle')).click();
  await waitForStatus(page, /^Training$/);
  assert.equal(await page.locator(byTestId('train-toggle')).textContent(), '❚❚ Pause');
  const steps = async () => Number((await page.locator('#stat-step').textContent()).replace(/,/g, ''));
  // Training advances: the batch count grows, twice in a row.
  const s0 = await steps();
  await until(async () => (await steps()) > s0, { timeout: 60_000, what: 'the batch count to grow' });
  const s1 = await steps();
  await until(async () => (await steps()) > s1, { timeout: 60_000, what: 'the batch count to grow again' });
  // The page answers while it trains: a drawing gets its reconstruction and
  // its neighbours, and a second drawing replaces them.
  await draw(page, ZERO);
  await page.waitForFunction(() => document.getElementById('neighbours-text').textContent.startsWith('Retrieval by code, nearest first'), null, { timeout: 60_000 });
  await page.locator('#pad-clear').click();
  await draw(page, SEVEN);
  await page.waitForFunction(() => document.getElementById('neighbours-text').textContent.startsWith('Retrieval by code, nearest first'), null, { timeout: 60_000 });
  assert.equal(await page.locator(byTestId('status')).textContent(), 'Training', 'still training after the drawings');
  await until(async () => Number((await page.locator('#stat-speed').textContent()).replace(/,/g, '')) > 0, { what: 'images/s' });
  const speed = Number((await page.locator('#stat-speed').textContent()).replace(/,/g, ''));
  // The speed panel, read at one moment: GFLOP/s is 6 flops per parameter per
  // image at that speed, and an epoch is MNIST's 60,000 training images at it
  // (each within its display rounding and 1%).
  const panel = await page.evaluate(() => ['stat-speed', 'stat-gflops', 'stat-epoch-time', 'stat-params'].map((id) => parseFloat(document.getElementById(id).textContent.replace(/,/g, ''))));
  const [rate, gflops, epochSeconds, params] = panel;
  assert.ok(Math.abs(gflops - (6 * params * rate) / 1e9) <= 0.05 + 0.01 * gflops, `panel ${panel}: GFLOP/s`);
  assert.ok(Math.abs(epochSeconds - 60_000 / rate) <= 0.05 + 0.01 * epochSeconds, `panel ${panel}: epoch time`);
  // Enough batches for the loss to fall clearly, however long this machine takes.
  await until(async () => (await steps()) >= 60, { timeout: 180_000, what: '60 batches' });
  await page.locator(byTestId('train-toggle')).click();
  await waitForStatus(page, /^Paused$/);
  await waitForTestCurrent(page);

  const after = Number(await testLoss(page));
  const trained = await steps();
  assert.ok(after < before - 30, `test loss ${before} -> ${after} after ${trained} batches`);
  t.diagnostic(`test loss ${before} -> ${after} after ${trained} batches; ${speed} images/s`);

  // The loss chart has drawn its curves (coloured pixels, not just white).
  const coloured = await page.locator(byTestId('loss-chart')).evaluate((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && Math.abs(data[i] - data[i + 2]) > 60) n++;
    return n;
  });
  assert.ok(coloured > 100, `loss chart has ${coloured} coloured pixels`);
  assert.deepEqual(page.errors, []);
});
