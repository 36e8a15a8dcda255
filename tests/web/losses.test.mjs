// The loss lab: from a saturated start, the cross-entropy model's squared
// error falls well below the squared-error model's, on the same test images
// (the lecture's gradient argument, run live in two workers).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, until } from './harness.mjs';

let env;
before(async () => (env = await setup()));
after(() => env?.close());

test('cross-entropy learns faster than squared error from a saturated initialisation, side by side', async (t) => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.url}losses.html`);
  await until(async () => /^Ready/.test(await page.locator('#status').textContent()), { timeout: 60_000, what: 'both models ready' });
  await page.locator('#run').click();
  await until(async () => /^Training: (1[5-9]\d|[2-9]\d\d) batches/.test(await page.locator('#status').textContent()), { timeout: 90_000, what: '150 batches' });
  await page.locator('#run').click();
  const figures = await page.locator('[data-testid="figures"]').textContent();
  const [, ce, mse] = /cross-entropy model (\d+\.\d), squared-error model (\d+\.\d)/.exec(figures).map(Number);
  t.diagnostic(figures);
  assert.ok(ce < 0.8 * mse, figures);
  assert.deepEqual(errors, []);
  await context.close();
});

test('pausing the loss lab says it is paused, not training', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${env.url}losses.html`);
  await until(async () => /^Ready/.test(await page.locator('#status').textContent()), { timeout: 60_000, what: 'both models ready' });
  await page.locator('#run').click();
  await until(async () => /^Training: [1-9]\d* batches/.test(await page.locator('#status').textContent()), { timeout: 60_000, what: 'training' });
  await page.locator('#run').click();
  // The round under way when Pause was pressed finishes; the status must still say Paused.
  await page.waitForTimeout(2500);
  assert.match(await page.locator('#status').textContent(), /^Paused after \d+ batches$/);
  await context.close();
});
