// The latent space and generation views, read back from their canvases: all
// ten classes in the scatter plot, a manifold grid and prior samples from a
// VAE, decoding a clicked point, interpolation, and a CVAE's ten classes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, draw, FAST_VAE, moreSettings, open, setup, SEVEN, tileStats, train, until, waitForStatus, ZERO } from './harness.mjs';
import { COLORS } from '../../www/views/latent-plot.js';

let env;
before(async () => (env = await setup()));
after(() => env?.close());

const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** Pixels of each class colour in the plot, exactly (counted in the page: the canvas is large). */
function colourCounts(page) {
  return page.locator(byTestId('latent-plot')).evaluate((c, want) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const counts = new Array(want.length).fill(0);
    for (let i = 0; i < data.length; i += 4) {
      const k = want.findIndex(([r, g, b]) => data[i] === r && data[i + 1] === g && data[i + 2] === b);
      if (k >= 0) counts[k]++;
    }
    return counts;
  }, COLORS.map(rgb));
}

/** Near-black pixels in the plot: the cross and ellipse marking the drawing. */
function darkPixels(page) {
  return page.locator(byTestId('latent-plot')).evaluate((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 40 && data[i + 1] < 40 && data[i + 2] < 40) n++;
    return n;
  });
}

const pictured = (t) => t.std > 0.05; // a picture, not a flat tile

test('a 2-D VAE: ten colours in the latent plot, a manifold grid, samples, clicked points and interpolation', async () => {
  const page = await open(env, FAST_VAE);
  await train(page, 1000);

  await until(async () => (await colourCounts(page)).every((n) => n >= 5), { what: 'all ten class colours in the latent plot' });
  assert.match(await page.locator('#latent-title').textContent(), /2,000 test images · 2-D codes/);
  assert.deepEqual(await page.locator('#legend li:visible').allTextContents(), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

  const grid = await tileStats(page, 'generation-grid');
  assert.equal(grid.length, 15 * 15);
  assert.ok(grid.filter(pictured).length > 200, `${grid.filter(pictured).length} of 225 manifold tiles show a picture`);
  const samples = await tileStats(page, 'samples', 2);
  assert.equal(samples.length, 16);
  assert.ok(samples.filter(pictured).length >= 14, 'prior samples are pictures');

  // Clicking in the plot decodes that point.
  await page.locator(byTestId('latent-plot')).click({ position: { x: 150, y: 150 } });
  await until(async () => (await tileStats(page, 'picked')).every(pictured), { what: 'the decoded clicked point' });
  assert.match(await page.locator('#picked-text').textContent(), /^Decoded at \(-?\d+\.\d\d, -?\d+\.\d\d\)\.$/);

  // Hovering near a point shows a preview.
  const box = await page.locator(byTestId('latent-plot')).boundingBox();
  for (let i = 0; i < 40 && (await page.locator('#hover').isHidden()); i++) {
    await page.mouse.move(box.x + box.width * (0.3 + 0.01 * i), box.y + box.height * 0.5);
    // The plot answers a hover in its next animation frame.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }
  assert.ok(await page.locator('#hover').isVisible(), 'hover preview shown');
  // It shows the point's own test image, named by its class and index.
  assert.match(await page.locator('#hover-text').textContent(), /^\d \(test image \d+\)$/);

  // The drawing's code is marked on the plot (black pixels of the cross/ellipse appear).
  await page.mouse.move(0, 0);
  const before = await darkPixels(page);
  await draw(page, ZERO);
  await until(async () => (await darkPixels(page)) > before + 30, { what: 'the drawing marked on the latent plot' });

  // Interpolation: keep the 0 as A, draw a 7, interpolate.
  await page.locator('#save-a').click();
  await draw(page, SEVEN);
  await page.locator('#interpolate').click();
  await until(async () => (await tileStats(page, 'interpolation', 2)).filter(pictured).length === 10, { what: 'ten interpolation frames' });
  assert.equal((await tileStats(page, 'interpolation', 2)).length, 10);
  assert.deepEqual(page.errors, []);
});

test('a CVAE with a 3-D latent: PCA projection is said, and a drawing is shown in all ten classes', async () => {
  const page = await open(env, 'model=cvae&hidden=64&latent=3&seed=2');
  await train(page, 600);
  await until(async () => /PCA projection of 3-D codes/.test(await page.locator('#latent-title').textContent()), { what: 'the PCA caption' });
  assert.ok(await page.locator('#draw-label').isVisible(), 'the CVAE asks which class the drawing is');
  await page.locator('#draw-label').selectOption('7');
  await draw(page, SEVEN);
  await until(async () => (await tileStats(page, 'classes', 2)).filter(pictured).length === 10, { what: 'ten class renderings' });
  // Without a 2-D latent there is no manifold grid, but samples still come.
  assert.ok(await page.locator(byTestId('generation-grid')).isHidden());
  await until(async () => (await tileStats(page, 'samples', 2)).filter(pictured).length >= 14, { what: 'CVAE samples' });
  assert.deepEqual(page.errors, []);
});

test('switching to Fashion-MNIST loads it with progress and names its classes', async () => {
  const page = await open(env, 'model=ae&hidden=32&latent=2&seed=8');
  await moreSettings(page);
  await page.locator('#config [name="dataset"]').selectOption('fashion');
  await waitForStatus(page, /^(Loading Fashion-MNIST… \d+%|Preparing Fashion-MNIST…)$/, 15_000);
  await waitForStatus(page, /^Ready$/, 90_000);
  assert.ok((await page.evaluate(() => location.hash)).includes('dataset=fashion'));
  await until(async () => (await colourCounts(page)).every((n) => n >= 5), { what: 'ten classes of clothes in the plot' });
  const legend = await page.locator('#legend li').allTextContents();
  assert.equal(legend[0], 'T-shirt/top');
  assert.equal(legend[9], 'Ankle boot');
  assert.deepEqual(page.errors, []);
});
