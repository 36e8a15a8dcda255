// The URL hash is the whole configuration: a shared link rebuilds the same
// model, and the same steps give the same test loss to the last printed
// digit in a separate page load. A hostile hash changes nothing it shouldn't.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { defaults } from '../../www/shared/run-settings.js';
import { byTestId, moreSettings, open, setup, step, testLoss, waitForStatus } from './harness.mjs';

const DEFAULTS = defaults();

let env;
before(async () => (env = await setup()));
after(() => env?.close());

const CONFIG = { model: 'vae', hidden: '48', latent: '3', activation: 'tanh', optimizer: 'momentum', lr: '0.01', batch: '32', seed: '4242', dataset: 'mnist' };

async function form(page) {
  const out = {};
  for (const name of Object.keys(CONFIG)) out[name] = await page.locator(`#config [name="${name}"]`).inputValue();
  return out;
}

async function run(page, n) {
  await step(page, n);
  return { test: await testLoss(page), train: await page.locator(byTestId('train-loss')).textContent() };
}

test('a shared link reproduces the configuration and the same losses after the same steps', async () => {
  const hash = new URLSearchParams(CONFIG).toString();
  const first = await open(env, hash);
  assert.deepEqual(await form(first), CONFIG);
  const a = await run(first, 3);
  const link = await first.locator('#share-link').inputValue();
  assert.ok(link.includes('seed=4242') && link.includes('hidden=48'), link);
  // The promise is per build, and the text names the one this run used.
  const caption = await first.locator(byTestId('share-caption')).textContent();
  assert.match(caption, /bit for bit in the same build of the core \(this run: WebAssembly, relaxed SIMD\)/);
  assert.ok(caption.includes(await first.locator('#stat-simd').textContent()), 'the caption and the speed panel name the same build');
  assert.match(a.test, /^\d+\.\d{4}$/);

  // A separate page load (new context, nothing shared) from the link alone.
  const second = await open(env, new URL(link).hash.slice(1));
  assert.deepEqual(await form(second), CONFIG);
  const b = await run(second, 3);
  assert.deepEqual(b, a);

  // The comparison can fail: another seed gives another loss.
  const third = await open(env, hash.replace('seed=4242', 'seed=4243'));
  const c = await run(third, 3);
  assert.notEqual(c.test, a.test);
  for (const p of [first, second, third]) assert.deepEqual(p.errors, []);
});

test('a hostile hash falls back to defaults for the bad fields, says so as text, and runs', async () => {
  const evil = 'lr=NaN&model=%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3D1%22%3E&hidden=999999999&latent=3&batch=1e999&seed=-7';
  const page = await open(env, evil);
  const notice = page.locator('[data-testid="notice-hash"]');
  await notice.waitFor();
  const text = await notice.textContent();
  for (const label of ['learning rate', 'model', 'hidden layer sizes', 'batch size', 'seed']) assert.ok(text.includes(label), `notice mentions ${label}: ${text}`);
  assert.ok(text.includes('<img src=x'), 'the bad value is quoted as text');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('.notices img').count(), 0, 'no element was made from the hash');

  const f = await form(page);
  assert.deepEqual(
    { lr: f.lr, model: f.model, hidden: f.hidden, latent: f.latent, batch: f.batch, seed: f.seed },
    // The bad fields at the table's page defaults; the good one (latent) as given.
    { lr: String(DEFAULTS.lr), model: DEFAULTS.model, hidden: DEFAULTS.hidden.join(','), latent: '3', batch: String(DEFAULTS.batch), seed: String(DEFAULTS.seed) },
  );
  // The address now says what runs, and the model trains.
  assert.ok((await page.evaluate(() => location.hash)).startsWith(`#dataset=mnist&model=vae&hidden=${DEFAULTS.hidden.join('%2C')}&latent=3&`));
  await step(page, 1);
  await waitForStatus(page, /^Paused$/);

  // Editing the address in the same tab applies the new configuration.
  await page.evaluate(() => (location.hash = '#model=ae&latent=4&seed=11'));
  await waitForStatus(page, /^Ready$/);
  assert.equal(await page.locator('#config [name="model"]').inputValue(), 'ae');
  assert.equal(await page.locator('#config [name="latent"]').inputValue(), '4');
  assert.equal(await page.locator('#config [name="seed"]').inputValue(), '11');
  assert.deepEqual(page.errors, []);
});

test('a link repeating a bad pair hundreds of times gets a short notice: five problems and how many more', async () => {
  // 390 copies of one bad pair fit in the 2,000 characters the page reads.
  const page = await open(env, Array(390).fill('lr=x').join('&'));
  const notice = page.locator(byTestId('notice-hash'));
  await notice.waitFor();
  const items = await notice.locator('li').allTextContents();
  assert.equal(items.length, 6, `${items.length} items`);
  for (const item of items.slice(0, 5)) assert.match(item, /^learning rate “x” /);
  assert.equal(items[5], 'and 385 more problems');
  assert.equal(await page.locator('#config [name="lr"]').inputValue(), '0.001');
  assert.deepEqual(page.errors, []);
});

test('the New seed button picks a random seed that lands in the link and rebuilds the model', async () => {
  const page = await open(env, new URLSearchParams(CONFIG).toString());
  await moreSettings(page);
  await page.locator('#new-seed').click();
  // The page asks the worker the new model's size before it rebuilds: wait for the link to change.
  await page.waitForFunction(() => /seed=\d+/.test(location.hash) && !location.hash.includes('seed=4242&') && !location.hash.endsWith('seed=4242'));
  await waitForStatus(page, /^Ready$/);
  const seed = await page.locator('#config [name="seed"]').inputValue();
  assert.match(seed, /^\d+$/);
  assert.notEqual(seed, '4242');
  assert.ok((await page.evaluate(() => location.hash)).includes(`seed=${seed}`));
  assert.deepEqual(page.errors, []);
});
