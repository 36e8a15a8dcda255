// What a new user trying every control ran into (issue 6's defects), each
// reproduced as a person would do it: invalid fields say what is wrong, views
// never show another model's or drawing's pictures, links start training,
// trained models are not thrown away without a word, Undo undoes Clear, words
// follow the data set, and the share link is always the whole configuration.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { batches, byTestId, confirmRebuild, confirmReset, draw, FAST_AE, FAST_VAE, moreSettings, open, setup, SEVEN, step, until, waitForStatus, ZERO, settle } from './harness.mjs';

let env;
before(async () => (env = await setup()));
after(() => env?.close());

const field = (page, name) => page.locator(`#config [name="${name}"]`);
async function setField(page, name, value) {
  const el = field(page, name);
  // A setting beyond the basic ones is folded: unfold it first, as a person must.
  if (!(await el.isVisible())) await moreSettings(page);
  // As a person does it: a menu changes at once; a typed value when focus leaves.
  if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(value);
  else (await el.fill(value), await el.press('Tab'));
}
/** Whether an image view shows images (empty views show words and carry data-empty). */
const filled = (page, testid) => page.locator(byTestId(testid)).evaluate((c) => !c.hasAttribute('data-empty'));

test('an invalid field says what is wrong and what is allowed, next to it, and the page says the change was not applied', async () => {
  const page = await open(env, FAST_VAE);
  await setField(page, 'lr', '-1');
  const lr = field(page, 'lr');
  assert.equal(await lr.getAttribute('aria-invalid'), 'true');
  const described = (await lr.getAttribute('aria-describedby')).split(/\s+/);
  const messages = await Promise.all(described.map((id) => page.locator(`#${id}`).textContent()));
  const said = messages.join(' ');
  assert.match(said, /1e-6|0\.000001/, `the allowed range is in the field's description: ${said}`);
  assert.match(said, /\b10\b/, said);
  const notice = page.locator(byTestId('notice-form'));
  await notice.waitFor();
  assert.match(await notice.textContent(), /not applied/);
  // Another change while one field is invalid is not applied either, and the page says so.
  await setField(page, 'model', 'ae');
  assert.match(await page.locator('#settings-summary').textContent(), /^VAE/);
  // Fixing the field applies both.
  await setField(page, 'lr', '0.002');
  await until(async () => /^AE/.test(await page.locator('#settings-summary').textContent()), { what: 'the AE to be built' });
  assert.equal(await notice.count(), 0);
  assert.notEqual(await lr.getAttribute('aria-invalid'), 'true');
  await page.context().close();
});

test('the picked point, its caption and the nearest images go stale nowhere: Reset, a new model and Clear empty them', async () => {
  const page = await open(env, FAST_AE);
  await step(page, 2);
  await page.waitForFunction(() => document.getElementById('latent-title').textContent.includes('test images'));
  const plot = page.locator(byTestId('latent-plot'));
  await plot.scrollIntoViewIfNeeded();
  const box = await plot.boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => document.getElementById('picked-text').textContent.startsWith('Decoded at'));
  assert.ok(await filled(page, 'picked'));

  await page.locator(byTestId('reset')).click();
  await confirmReset(page);
  await waitForStatus(page, /^Ready$/);
  assert.match(await page.locator('#picked-text').textContent(), /^Click anywhere/);
  assert.equal(await filled(page, 'picked'), false, 'the picked image of the old model is gone');

  // Clear while the worker is still answering for the drawing: the late reply must not fill the views.
  await draw(page, SEVEN);
  await page.locator('#pad-clear').click();
  await settle(page); // every late reply has come back (and been dropped)
  assert.match(await page.locator('#neighbours-text').textContent(), /^Retrieval by code: draw a digit/);
  assert.equal(await filled(page, 'reconstruction'), false);
  await page.context().close();
});

test('a link with settings starts training by itself and says so; autoplay=0 waits; a first visit gets a hint', async () => {
  const auto = await open(env, FAST_AE, { autoplay: true, ready: false });
  await waitForStatus(auto, /^Training \(started by the link\)$/, 90_000);
  await auto.context().close();

  const still = await open(env, FAST_AE);
  // A link that autoplays starts as the model is ready; settled, this one has not.
  await settle(still);
  assert.equal(await still.locator(byTestId('status')).textContent(), 'Ready');
  await still.context().close();

  const first = await open(env, '');
  const hint = first.locator(byTestId('first-hint'));
  assert.ok(await hint.isVisible());
  assert.match(await hint.textContent(), /Train.*draw/);
  await first.locator(byTestId('train-toggle')).click();
  assert.ok(!(await hint.isVisible()));
  await first.context().close();
});

test('changing a setting after training asks before discarding the model; the learning rate changes without a rebuild', async () => {
  const page = await open(env, FAST_AE);
  await step(page, 3);
  await setField(page, 'latent', '3');
  const ask = page.locator(byTestId('notice-rebuild'));
  await ask.waitFor();
  assert.match(await ask.textContent(), /3 batches trained so far will be discarded/);
  assert.equal(await batches(page), 3, 'nothing was rebuilt yet');
  // The question takes the focus, and the changed field is marked until it is answered.
  assert.equal(await ask.getAttribute('role'), 'alertdialog');
  assert.equal(await page.evaluate(() => document.activeElement.closest('[data-testid="notice-rebuild"]') !== null), true, 'the question has the focus');
  const pending = () => field(page, 'latent').evaluate((el) => el.closest('.field').classList.contains('pending'));
  assert.equal(await pending(), true, 'the latent size is marked as waiting for the answer');
  await ask.locator('button', { hasText: 'Keep the trained model' }).click();
  assert.equal(await pending(), false);
  assert.equal(await field(page, 'latent').inputValue(), '8', 'the form is back to what runs');
  assert.equal(await batches(page), 3);

  await setField(page, 'lr', '0.0005');
  await page.locator(byTestId('notice-lr')).waitFor();
  assert.equal(await batches(page), 3, 'a new learning rate keeps the model');
  assert.match(await page.locator('#share-link').inputValue(), /lr=0\.0005/);
  await step(page, 1);
  assert.equal(await batches(page), 4);

  await setField(page, 'latent', '3');
  await confirmRebuild(page);
  await waitForStatus(page, /^Ready$/);
  assert.equal(await batches(page), 0);
  await page.context().close();
});

test('a model this machine would train very slowly is not built before the page says how slow', async () => {
  const page = await open(env, FAST_AE);
  await setField(page, 'hidden', '2048,2048,2048,2048');
  await setField(page, 'batch', '1024');
  const warn = page.locator(byTestId('notice-slow'));
  await warn.waitFor();
  assert.match(await warn.textContent(), /parameters: on this machine one batch of \d+ would take about/);
  assert.match(await page.locator('#settings-summary').textContent(), /784–64–8/, 'the small model still runs');
  await warn.locator('button', { hasText: 'Keep the current model' }).click();
  assert.equal(await field(page, 'hidden').inputValue(), '64');
  await page.context().close();
});

test('Undo brings back a cleared drawing; Keep as A shows A; a disabled Interpolate says why', async () => {
  const page = await open(env, FAST_AE);
  assert.match(await page.locator('#interp-why').textContent(), /Keep a drawing as A/);
  await draw(page, ZERO);
  await until(() => filled(page, 'input28'), { what: 'the drawing' });
  await page.locator('#pad-clear').click();
  await until(async () => !(await filled(page, 'input28')), { what: 'the clear' });
  await page.locator('#pad-undo').click();
  await until(() => filled(page, 'input28'), { what: 'the drawing to come back' });

  assert.equal(await filled(page, 'a-thumb'), false);
  await page.locator('#save-a').click();
  assert.ok(await filled(page, 'a-thumb'), 'A is shown');
  assert.ok(await page.locator('#interpolate').isDisabled());
  assert.match(await page.locator('#interp-why').textContent(), /draw a second digit/);
  await page.context().close();
});

test('the share link is the whole configuration from the start; a garbage hash gets a notice', async () => {
  const page = await open(env, '');
  const link = await page.locator('#share-link').inputValue();
  for (const key of ['model=', 'hidden=', 'latent=', 'lr=', 'seed=', 'dataset=']) assert.ok(link.includes(key), `${key} in ${link}`);
  await page.context().close();
  const garbage = await open(env, 'garbage');
  await garbage.locator(byTestId('notice-hash')).waitFor();
  await garbage.context().close();
});

test('on Fashion-MNIST the words follow the data set: garments, not digits', async () => {
  const page = await open(env, `${FAST_AE}&dataset=fashion`, { ready: false });
  await waitForStatus(page, /^Ready$/, 120_000);
  const draw = await page.locator('.card.draw').innerText();
  assert.ok(!/digit|As MNIST/.test(draw), `the draw card says: ${draw}`);
  assert.match(draw, /garment/);
  assert.match(await page.locator(byTestId('draw-pad')).getAttribute('aria-label'), /garment/);
  await page.context().close();
});

test('CVAE: the drawing’s label is proposed by a classifier trained in the background, a clicked point decodes with its own label, and Fashion-MNIST brings garment names', async (t) => {
  const page = await open(env, 'model=cvae&hidden=64&latent=2&batch=100&lr=0.002&seed=5');
  const why = page.locator('#draw-label-why');
  // Let the background classifier finish its epoch (the worker is idle, so it gets every slice).
  await draw(page, SEVEN);
  await until(async () => /^Proposed by a classifier/.test(await why.textContent()), { what: 'a proposed label' });
  await until(
    async () => {
      await page.locator('#pad-clear').click();
      await draw(page, SEVEN);
      await settle(page); // the proposal for this drawing
      return !/still learning/.test(await why.textContent());
    },
    { timeout: 120_000, every: 1000, what: 'the classifier to finish' },
  );
  t.diagnostic(await why.textContent());
  assert.equal(await page.locator('#draw-label').inputValue(), '7', `a drawn 7 is proposed as 7: ${await why.textContent()}`);
  // A person's choice wins over the proposal.
  await page.locator('#draw-label').selectOption('3');
  assert.equal(await why.textContent(), 'Chosen by you.');

  // Hover finds a point and its label; clicking there decodes with that label.
  await step(page, 2);
  await page.waitForFunction(() => document.getElementById('latent-title').textContent.includes('test images'));
  await page.locator(byTestId('latent-plot')).scrollIntoViewIfNeeded();
  const box = await page.locator(byTestId('latent-plot')).boundingBox();
  let name = null, at = null;
  for (let i = 0; i < 60 && !name; i++) {
    at = [box.x + box.width * (0.15 + 0.012 * i), box.y + box.height * (0.25 + 0.008 * i)];
    await page.mouse.move(...at);
    if (await page.locator('#hover').isVisible()) name = /^(.+?) \(test image/.exec(await page.locator('#hover-text').textContent())?.[1];
  }
  assert.ok(name, 'found a point');
  await page.mouse.click(...at);
  await page.waitForFunction(() => document.getElementById('picked-text').textContent.startsWith('Decoded at'));
  assert.ok((await page.locator('#picked-text').textContent()).includes(`as “${name}”`), await page.locator('#picked-text').textContent());

  await setField(page, 'dataset', 'fashion');
  await confirmRebuild(page);
  await waitForStatus(page, /^Ready$/, 120_000);
  const options = await page.locator('#draw-label option').allTextContents();
  assert.deepEqual(options.slice(0, 2), ['T-shirt/top', 'Trouser']);
  assert.equal(await page.locator('#draw-label').inputValue(), '0', 'a new data set starts from its first class');
  await page.context().close();
});

test('Adam at learning rate 10: the loss explodes without a NaN, and the page pauses, rolls back and says so', async () => {
  const page = await open(env, 'model=vae&hidden=64&latent=2&optimizer=adam&lr=10&batch=100&seed=1');
  await page.locator(byTestId('train-toggle')).click();
  await waitForStatus(page, /^Diverged: /, 60_000);
  assert.match(await page.locator(byTestId('status')).textContent(), /smaller learning rate/);
  assert.equal(await page.locator(byTestId('train-toggle')).textContent(), '▶ Train');
  // The rolled-back model's test loss is a loss, not millions.
  await until(async () => Number(await page.locator(byTestId('test-loss')).textContent()) > 0, { what: 'a test loss after the roll-back' });
  const loss = Number(await page.locator(byTestId('test-loss')).textContent());
  assert.ok(loss < 10_000, `test loss after the roll-back: ${loss}`);
  await page.context().close();
});

test('a long test evaluation shows its progress, then its figure', async () => {
  const page = await open(env, 'model=ae&hidden=1024,1024&latent=8&batch=100&seed=2');
  const progress = page.locator(byTestId('test-evaluating'));
  await until(async () => /^evaluating the 10,000 test images… \d+%$/.test(await progress.textContent()), { timeout: 60_000, what: 'the evaluation progress' });
  await until(async () => /^\d+\.\d{4}$/.test(await page.locator(byTestId('test-loss')).textContent()), { timeout: 120_000, what: 'the test loss' });
  assert.equal(await progress.textContent(), '');
  await page.context().close();
});
