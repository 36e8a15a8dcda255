// The image grid (www/views/grid.js) while it has nothing to show: words in
// place of a black square, at the size the images will take, so the page
// does not jump when they come. Driven directly on test-views.html, with the
// page's own stylesheet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setupViews, openViews, spyOnText, frames } from './views-page.mjs';

let env;
before(async () => (env = await setupViews()));
after(() => env?.close());

const WORDS = 'Draw a digit to see its nearest test images';

/** A page with one grid canvas of class `cls` in a box `width` CSS pixels wide, as `window.grid`. */
async function gridPage(cls, opts, width = 400) {
  const page = await openViews(env, { init: spyOnText });
  await page.evaluate(async ({ cls, opts, width }) => {
    const { create } = await import('../views/grid.js');
    const stage = document.getElementById('stage');
    stage.style.width = `${width}px`;
    // As in index.html: the canvas starts as the markup's 28×28.
    stage.innerHTML = `<canvas id="grid" class="${cls}" width="28" height="28"></canvas><p id="below">below</p>`;
    window.grid = create(document.getElementById('grid'), opts);
  }, { cls, opts, width });
  await frames(page);
  return page;
}

const box = (page) => page.evaluate(() => {
  const r = document.getElementById('grid').getBoundingClientRect();
  return { width: r.width, height: r.height, below: document.getElementById('below').getBoundingClientRect().top };
});

/** Share of the canvas's pixels that are light, and whether any dark text-coloured pixels are among them. */
const looks = (page) => page.evaluate(() => {
  const c = document.getElementById('grid');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let light = 0, ink = 0;
  for (let i = 0; i < d.length; i += 4) {
    const v = (d[i] + d[i + 1] + d[i + 2]) / 3;
    if (v > 200) light++;
    else if (v < 150) ink++;
  }
  return { light: light / (d.length / 4), ink };
});

/** n tiles of a grey ramp: something that is visibly images (a typed array: playwright carries it whole, as base64). */
const tiles = (n) => Float32Array.from({ length: n * 784 }, (_, i) => (i % 784) / 784);

test('an empty strip of neighbours says so in words at its final size, and filling it moves nothing', async () => {
  const page = await gridPage('strip', { cols: 8, gap: 2, placeholder: WORDS });
  const empty = await box(page);
  const seen = await looks(page);
  assert.ok(seen.light > 0.5, `the empty strip is not a black square: ${(100 * seen.light).toFixed(0)}% of it is light`);
  assert.ok(seen.ink > 0, 'words are drawn on it');
  const said = await page.evaluate(() => window.__texts.filter((t) => t.canvas === 'grid').map((t) => t.text).join(' '));
  for (const word of WORDS.split(' ')) assert.ok(said.includes(word), `“${word}” is drawn (drawn: ${said})`);
  // One strip of eight 28-pixel tiles, not the markup's square.
  assert.ok(Math.abs(empty.height - (empty.width * 28) / (8 * 28 + 7 * 2)) < 1, `empty box ${empty.width}×${empty.height}`);

  await page.evaluate((pixels) => window.grid.update({ pixels, n: 8 }), tiles(8));
  await frames(page);
  assert.deepEqual(await box(page), empty, 'the box and what is below it stay put when the images come');
  const filled = await page.evaluate(() => [document.getElementById('grid').width, document.getElementById('grid').height]);
  assert.deepEqual(filled, [8 * 28 + 7 * 2, 28], 'the images at one canvas pixel per image pixel');

  await page.evaluate(() => window.grid.update(null));
  await frames(page);
  assert.deepEqual(await box(page), empty, 'and when they go again');
  assert.ok((await looks(page)).light > 0.5, 'cleared, it shows the words again');
  assert.deepEqual(page.errors, []);
});

test('every grid view has words when empty: the default, and blank tiles of a given layout', async () => {
  // A single 28×28 image (as the reconstruction), no placeholder given.
  let page = await gridPage('img28', {});
  assert.ok((await looks(page)).light > 0.5, 'not a black square');
  const said = await page.evaluate(() => window.__texts.filter((t) => t.canvas === 'grid').map((t) => t.text).join(' '));
  assert.match(said, /Nothing to show yet/);
  await page.close();

  // A 15×15 manifold announced as blank tiles, then filled.
  page = await gridPage('grid', { cols: 15, placeholder: 'Train to see the decoded grid' });
  await page.evaluate(() => window.grid.update({ pixels: null, n: 225, cols: 15 }));
  await frames(page);
  const empty = await box(page);
  assert.ok((await looks(page)).light > 0.5, 'blank tiles are words, not black');
  await page.evaluate((pixels) => window.grid.update({ pixels, n: 225, cols: 15 }), tiles(225));
  await frames(page);
  assert.deepEqual(await box(page), empty);
  assert.deepEqual(page.errors, []);
});
