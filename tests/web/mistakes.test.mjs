// Surviving mistakes: a failed dataset download offers a retry that works, a
// diverging run stops with its message, and a crashed worker is restarted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open, byTestId, waitForStatus, status, step, until, draw, read28, ZERO, trainingWorkers } from './harness.mjs';

let env;
before(async () => (env = await setup()));
after(() => env?.close());

test('a failed MNIST download says so and Retry loads it', async () => {
  const context = await env.browser.newContext();
  await context.route('**/data/mnist/train-labels-*', (route) => route.fulfill({ status: 503, body: 'down for maintenance' }));
  const page = await context.newPage();
  await page.goto(`${env.url}#autoplay=0`);
  await waitForStatus(page, /^Could not load MNIST: .*503/);
  const retry = page.locator('#load-retry');
  assert.ok(await retry.isVisible());
  assert.equal(await page.locator(byTestId('train-toggle')).isDisabled(), true);

  await context.unroute('**/data/mnist/train-labels-*');
  await retry.click();
  await waitForStatus(page, /^Ready$/, 60_000);
  assert.ok(await retry.isHidden());
  await context.close();
});

test('a diverging run stops, says “Diverged: …” and keeps a working model', async () => {
  // A learned Gaussian variance with plain SGD at lr 10 overflows within a few dozen batches.
  const page = await open(env, 'model=vae&decoder=gaussian_learned_var&optimizer=sgd&lr=10&hidden=64&latent=8');
  await page.locator(byTestId('train-toggle')).click();
  await waitForStatus(page, /^Diverged: /, 30_000);
  assert.equal(await page.locator(byTestId('train-toggle')).textContent(), '▶ Train');
  // The rolled-back weights still reconstruct a drawing, and a step trains on from them.
  await draw(page, ZERO);
  await until(async () => (await read28(page, 'reconstruction')).some((v) => v > 0), { what: 'a reconstruction after divergence' });
  await step(page, 1);
  await waitForStatus(page, /^Paused$/);
});

test('a crashed worker is restarted with a message and the model rebuilt', async () => {
  const page = await open(env, 'model=ae&hidden=32&latent=4');
  const worker = trainingWorkers(page)[0];
  assert.ok(worker, 'the page runs a worker');
  // An exception nobody catches inside the worker: its `error` event reaches the page.
  await worker.evaluate(() => setTimeout(() => {
    throw new Error('simulated crash');
  }, 0));
  const notice = page.locator('[data-testid="notice-crash"] p');
  await notice.waitFor();
  assert.match(await notice.textContent(), /crashed .*simulated crash.*restarted/);
  await waitForStatus(page, /^Ready$/, 60_000);
  await until(() => trainingWorkers(page).length === 1 && trainingWorkers(page)[0] !== worker, { what: 'one new worker' });
  await step(page, 1);
  assert.equal(await status(page), 'Paused');
});
