// The page loads real MNIST, a Web Worker trains the default model, the test
// loss on the 10,000 test images falls, and the main thread stays free.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open, byTestId, waitForStatus, waitForTestAt, waitForTestCurrent, testLoss, draw, ZERO, SEVEN } from './harness.mjs';

let env;
before(async () => (env = await setup()));
after(() => env?.close());

// Installed before the page's own scripts: long tasks and every status text.
function watch() {
  window.__longtasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  window.__statuses = [];
  document.addEventListener('DOMContentLoaded', () => {
    const el = document.querySelector('[data-testid="status"]');
    const note = () => window.__statuses.push(el.textContent);
    note();
    new MutationObserver(note).observe(el, { childList: true, characterData: true, subtree: true });
  });
}

test('the default model trains on MNIST in a worker: test loss falls, no main-thread task over 50 ms', async (t) => {
  const page = await open(env, '', { init: watch });
  const statuses = await page.evaluate(() => window.__statuses);
  assert.ok(statuses.some((s) => /^Loading MNIST… \d+%$/.test(s)), `statuses seen: ${statuses.join(' | ')}`);
  assert.match(await page.locator('#stat-simd').textContent(), /SIMD/);
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
  const t0 = await page.evaluate(() => performance.now());
  // Drawing while training must stay cheap too.
  await draw(page, ZERO);
  await page.waitForTimeout(2500);
  await page.locator('#pad-clear').click();
  await draw(page, SEVEN);
  await page.waitForTimeout(3500);
  const speed = Number((await page.locator('#stat-speed').textContent()).replace(/,/g, ''));
  const t1 = await page.evaluate(() => performance.now());
  await page.locator(byTestId('train-toggle')).click();
  await waitForStatus(page, /^Paused$/);
  await waitForTestCurrent(page);

  const after = Number(await testLoss(page));
  const steps = Number((await page.locator('#stat-step').textContent()).replace(/,/g, ''));
  assert.ok(steps > 20, `only ${steps} batches in 6 s`);
  assert.ok(speed > 0, `images/s ${speed}`);
  assert.ok(after < before - 30, `test loss ${before} -> ${after} after ${steps} batches`);
  t.diagnostic(`test loss ${before} -> ${after} after ${steps} batches; ${speed} images/s`);

  const long = (await page.evaluate(() => window.__longtasks)).filter((e) => e.start >= t0 && e.start <= t1);
  assert.deepEqual(long, [], `long tasks while training: ${JSON.stringify(long)}`);

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
