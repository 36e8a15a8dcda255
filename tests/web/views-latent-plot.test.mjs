// The latent scatter plot (www/views/latent-plot.js) keeps its scale while
// it is being looked at: new codes arrive every few seconds during training,
// and a rescale moves every point under the pointer. Driven directly on
// test-views.html; where a point is drawn is read from the canvas's pixels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setupViews, openViews, frames } from './views-page.mjs';
import { COLORS } from '../../www/views/latent-plot.js';

let env;
before(async () => (env = await setupViews()));
after(() => env?.close());

const PROBE = 3; // the class of the one point whose place on screen is followed
const FAR = 1; // the class of the points that set the range

/** Codes: the probe at (0, 0) and FAR-class points at the corners of [lo, hi]². */
function codes(lo, hi) {
  const xy = [0, 0, lo, lo, hi, hi, lo, hi, hi, lo];
  return { xy: Float32Array.from(xy), labels: Uint8Array.from([PROBE, FAR, FAR, FAR, FAR]) };
}

async function plotPage() {
  const page = await openViews(env);
  await page.evaluate(async () => {
    const { create } = await import('../views/latent-plot.js');
    const stage = document.getElementById('stage');
    stage.style.width = '400px';
    stage.style.padding = '40px';
    stage.innerHTML = '<div class="plotwrap"><canvas id="plot" class="plot"></canvas></div><ol id="legend"></ol>';
    window.hovered = [];
    window.plot = create(document.getElementById('plot'), { legend: document.getElementById('legend'), onHover: (p) => window.hovered.push(p) });
  });
  await frames(page);
  return page;
}

const update = (page, data) => page.evaluate((d) => window.plot.update({ xy: Float32Array.from(d.xy), labels: Uint8Array.from(d.labels) }), { xy: Array.from(data.xy), labels: Array.from(data.labels) });

/** Centre (canvas pixels) and count of the pixels in class k's colour. */
function where(page, k) {
  const rgb = [1, 3, 5].map((i) => parseInt(COLORS[k].slice(i, i + 2), 16));
  return page.locator('#plot').evaluate((c, rgb) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0, sx = 0, sy = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] !== rgb[0] || d[i + 1] !== rgb[1] || d[i + 2] !== rgb[2]) continue;
      n++;
      sx += (i / 4) % c.width;
      sy += Math.floor(i / 4 / c.width);
    }
    return n ? { n, x: sx / n, y: sy / n } : { n: 0 };
  }, rgb);
}

/** Lets any easing run its course (the plot marks itself `data-easing` meanwhile) before pixels are read. */
const settled = (page) => page.waitForFunction(() => !document.querySelector('[data-easing]'), null, { polling: 'raf' }).then(() => frames(page));

test('while the pointer is over the plot, new codes do not change where a code is drawn', async () => {
  const page = await plotPage();
  await update(page, codes(-1, 3));
  await frames(page);
  const before = await where(page, PROBE);
  assert.ok(before.n > 0, 'the probe point is drawn');

  // The pointer rests over the plot, away from the probe.
  const box = await page.locator('#plot').boundingBox();
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.1);
  await frames(page);

  // Training moves the codes far out: a fit would put (0, 0) elsewhere.
  await update(page, codes(-1, 9));
  await settled(page);
  assert.deepEqual(await where(page, PROBE), before, 'the probe stays where it was under the pointer');
  assert.deepEqual(page.errors, []);
});

test('once the pointer leaves, the plot fits the codes that left its box', async () => {
  const page = await plotPage();
  await update(page, codes(-1, 3));
  await frames(page);
  const before = await where(page, PROBE);
  const box = await page.locator('#plot').boundingBox();
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.1);
  await update(page, codes(-1, 9));
  await page.mouse.move(box.x + box.width + 30, box.y - 30); // off the plot
  await settled(page);
  const after = await where(page, PROBE);
  assert.notDeepEqual(after, before, 'the box has changed to fit');
  const far = await where(page, FAR);
  const size = await page.locator('#plot').evaluate((c) => [c.width, c.height]);
  // All four corner points are on the canvas again: their pixels' centre is mid-plot.
  assert.ok(far.n >= 4 * 4, `the corner points are drawn (${far.n} pixels)`);
  assert.ok(Math.abs(far.x - size[0] / 2) < size[0] * 0.1 && Math.abs(far.y - size[1] / 2) < size[1] * 0.1, `corners centred: ${JSON.stringify(far)} in ${size}`);
  assert.deepEqual(page.errors, []);
});

test('a small change in the codes’ range leaves the scale alone', async () => {
  const page = await plotPage();
  await update(page, codes(-1, 3));
  await frames(page);
  const before = await where(page, PROBE);
  // The codes' range a little narrower, as between two updates of a training run.
  await update(page, codes(-0.9, 3));
  await settled(page);
  assert.deepEqual(await where(page, PROBE), before);
  assert.deepEqual(page.errors, []);
});
