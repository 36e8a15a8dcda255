// The first visit (issue 19): what a newcomer sees before and as they touch
// anything. A picture of the model, drawn from the settings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, open, RESULTS, setup, until } from './harness.mjs';
import path from 'node:path';

let env;
before(async () => (env = await setup()));
after(() => env?.close());

/** The diagram's bars (layer widths, left to right) and its words. */
const diagram = (page) =>
  page.locator(byTestId('model-diagram')).evaluate((svg) => ({
    sizes: [...svg.querySelectorAll('.md-size')].map((t) => Number(t.textContent)),
    words: [...svg.querySelectorAll('text')].map((t) => t.textContent).join(' | '),
    label: svg.getAttribute('aria-label'),
  }));

test('a picture of the model, drawn from the settings, changes with them', async () => {
  const page = await open(env, 'model=vae&hidden=256&latent=2&seed=1');
  let d = await diagram(page);
  assert.deepEqual(d.sizes, [784, 256, 2, 256, 784]);
  assert.match(d.words, /z = μ \+ σ·ε/);
  assert.match(d.words, /KL → prior N\(0, I\)/);
  assert.match(d.label, /^Model: the encoder maps 784 → 256 pixels and units to a code z of 2, as a mean μ and spread σ/);
  await page.locator(byTestId('model-diagram')).screenshot({ path: path.join(RESULTS, 'model-diagram-vae.png') });

  await page.goto(`${env.url}#model=aae&hidden=128,64&latent=2&prior=mog10&aae_labels=1&autoplay=0`);
  await until(async () => (await diagram(page)).sizes.length === 7, { what: 'the AAE’s diagram' });
  d = await diagram(page);
  assert.deepEqual(d.sizes, [784, 128, 64, 2, 64, 128, 784]);
  assert.match(d.words, /D: code or mog10 prior\?/);
  assert.doesNotMatch(d.words, /KL/);
  assert.match(d.label, /a discriminator tells codes from samples of the mog10 prior, given the label/);
  await page.locator(byTestId('model-diagram')).screenshot({ path: path.join(RESULTS, 'model-diagram-aae.png') });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('each term of the lecture on the page has a “?” that opens one line and links to its lesson', async () => {
  const page = await open(env, 'model=vae&hidden=64&latent=2&seed=1');
  const { TERMS } = await import('../../www/page/glossary.js');
  const { LESSONS } = await import('../../www/lesson/lessons/catalogue.js');
  const marks = await page.locator('[data-term]').evaluateAll((ms) => ms.map((m) => m.dataset.term));
  // Every term of the glossary is used somewhere on the page, and every mark names a term.
  assert.deepEqual([...new Set(marks)].sort(), Object.keys(TERMS).sort());
  for (const [id, t] of Object.entries(TERMS)) {
    if (t.lesson) assert.ok(LESSONS.some((l) => l.name === t.lesson), `${id} links to a real lesson`);
  }
  const kl = page.locator('[data-term="kl"] button');
  assert.equal(await kl.getAttribute('aria-label'), 'What is KL?');
  assert.equal(await page.locator('[data-term="kl"] .term-says').isVisible(), false);
  await kl.click();
  assert.equal(await kl.getAttribute('aria-expanded'), 'true');
  const line = page.locator('[data-term="kl"] .term-says');
  assert.match(await line.textContent(), /^KL: The Kullback–Leibler divergence.*See it in a lesson\.$/);
  assert.equal(await line.locator('a').getAttribute('href'), './#lesson=beta');
  await kl.click();
  assert.equal(await line.isVisible(), false);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
