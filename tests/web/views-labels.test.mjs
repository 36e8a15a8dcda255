// Canvases that show something are images to a screen reader: role="img"
// and a name that says what is shown now, kept up to date as the data
// changes. Each view is driven directly on test-views.html, its canvas given
// no role or name in the markup (as the hover preview's has none).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setupViews, openViews, frames } from './views-page.mjs';

let env;
before(async () => (env = await setupViews()));
after(() => env?.close());

/** A page with one bare canvas of class `cls` made into a view by `module`'s create(canvas, opts). */
async function viewPage(module, cls, opts = {}) {
  const page = await openViews(env);
  await page.evaluate(async ({ module, cls, opts }) => {
    const { create } = await import(`../views/${module}`);
    const stage = document.getElementById('stage');
    stage.style.width = '400px';
    stage.innerHTML = `<canvas id="view" class="${cls}" width="28" height="28"></canvas>`;
    window.view = create(document.getElementById('view'), opts);
  }, { module, cls, opts });
  await frames(page);
  return page;
}

const a11y = (page) => page.locator('#view').evaluate((c) => ({ role: c.getAttribute('role'), name: c.getAttribute('aria-label') }));

test('the hover preview (a grid view) is an image named by what it shows', async () => {
  const page = await viewPage('grid.js', 'img28 small');
  assert.deepEqual(await a11y(page), { role: 'img', name: 'Nothing to show yet' }, 'empty, it says so');
  await page.evaluate(() => window.view.update({ pixels: new Float32Array(784).fill(0.5), n: 1, label: 'Test image 12, a 7' }));
  assert.deepEqual(await a11y(page), { role: 'img', name: 'Test image 12, a 7' });
  // Without a label from the caller it still says what it holds.
  await page.evaluate(() => window.view.update({ pixels: new Float32Array(3 * 784), n: 3 }));
  assert.deepEqual(await a11y(page), { role: 'img', name: '3 images of 28 by 28 pixels' });
  assert.deepEqual(page.errors, []);
});

test('the latent plot counts its codes in its name, and takes the caller’s words', async () => {
  const page = await viewPage('latent-plot.js', 'plot');
  const n = 2000;
  await page.evaluate((n) => {
    const xy = Float32Array.from({ length: 2 * n }, (_, i) => Math.sin(i) * 2);
    window.view.update({ xy, labels: Uint8Array.from({ length: n }, (_, i) => i % 10), axes: ['z₁', 'z₂'] });
  }, n);
  let { role, name } = await a11y(page);
  assert.equal(role, 'img');
  assert.match(name, /^Scatter plot of 2,000 codes coloured by class; z₁ from -?\d+\.\d to -?\d+\.\d, z₂ from -?\d+\.\d to -?\d+\.\d\. Click or press Enter/);
  await page.evaluate(() => window.view.update({ label: 'Scatter plot of 2,000 test codes coloured by class' }));
  ({ name } = await a11y(page));
  assert.match(name, /^Scatter plot of 2,000 test codes coloured by class\. Click or press Enter to decode a point/);
  assert.deepEqual(page.errors, []);
});

test('the loss chart says its latest values in its name', async () => {
  const page = await viewPage('chart.js', 'chart');
  assert.equal((await a11y(page)).role, 'img');
  await page.evaluate(() => window.view.update({
    series: [
      { label: 'train', color: '#3552c8', points: [[0, 206.2], [1200, 158.23]] },
      { label: 'test', color: '#e8590c', points: [[0, 207], [1000, 160.1]] },
    ],
    xLabel: 'batches',
  }));
  assert.deepEqual(await a11y(page), { role: 'img', name: 'Loss chart. Latest: train 158.2 at 1,200 batches; test 160.1 at 1,000 batches.' });
  assert.deepEqual(page.errors, []);
});

test('the KL bars say how many dimensions carry information', async () => {
  const page = await viewPage('bars.js', 'bars');
  await page.evaluate(() => window.view.update({ values: [2.5, 0.01, 1.25, 0], unit: 'nats' }));
  assert.deepEqual(await a11y(page), { role: 'img', name: 'Bar chart: 4 bars, the largest 2.50 nats; 2 near zero.' });
  assert.deepEqual(page.errors, []);
});
