// The loss chart (www/views/chart.js), driven directly on test-views.html:
// its y-axis fits the data, its x-axis says something true with one
// evaluation, its labels fit the canvas at any magnitude, and no loss value,
// however large, can hang it. Text is read by spying on fillText (with the
// label's measured extent), curves by reading pixels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setupViews, openViews, spyOnText, frames } from './views-page.mjs';

let env;
before(async () => (env = await setupViews()));
after(() => env?.close());

const TRAIN = '#3552c8';

/** A page with one loss chart `width` CSS pixels wide, as `window.chart`. */
async function chartPage(width = 400) {
  const page = await openViews(env, { init: spyOnText });
  await page.evaluate(async (width) => {
    const { create } = await import('../views/chart.js');
    const stage = document.getElementById('stage');
    stage.style.width = `${width}px`;
    const canvas = document.createElement('canvas');
    canvas.id = 'chart';
    canvas.className = 'chart';
    stage.append(canvas);
    window.chart = create(canvas);
  }, width);
  await frames(page); // the resize observer has given the canvas its size
  return page;
}

/** Draws `data` and returns what text that drawing put on the canvas. */
function drawn(page, data) {
  return page.evaluate((data) => {
    window.__texts = [];
    window.chart.update(data);
    return window.__texts;
  }, data);
}

const series = (points, label = 'train', color = TRAIN) => ({ label, color, points });
const line = (n, from, to) => Array.from({ length: n }, (_, i) => [i * 10, from + ((to - from) * i) / (n - 1)]);

test('a VAE’s loss falling from 168 to 158 spans a good part of the chart’s height: its scale fits the loss, not 0 nor its KL term', async () => {
  const page = await chartPage();
  // As the page plots a VAE: train, test, and the test loss's two terms, the KL on its own scale.
  await drawn(page, {
    series: [
      series(line(50, 168, 158)),
      { label: 'test', color: '#e8590c', points: line(5, 169, 159), dots: true },
      { label: 'test recon', color: '#2f9e44', points: line(5, 159, 148), dash: [4, 3] },
      { label: 'test KL', color: '#9c36b5', points: line(5, 10, 11), dash: [4, 3], axis: 'right' },
    ],
    xLabel: 'batches',
  });
  const rows = await page.locator('#chart').evaluate((c, hex) => {
    const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let top = Infinity, bottom = -Infinity;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - want[0]) + Math.abs(d[i + 1] - want[1]) + Math.abs(d[i + 2] - want[2]) > 30) continue;
      const y = Math.floor(i / 4 / c.width);
      if (y < 0.2 * c.height) continue; // the legend's swatches along the top
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
    return { top, bottom, height: c.height };
  }, TRAIN);
  // On a scale from 0 to 170 the fall would cover 6 % of the height.
  const share = (rows.bottom - rows.top) / rows.height;
  assert.ok(share > 0.25, `the train curve covers ${(100 * share).toFixed(0)}% of the chart's height (rows ${rows.top}–${rows.bottom} of ${rows.height})`);
  assert.deepEqual(page.errors, []);
});

test('with one evaluation at batch 0 the x-axis reads “0 batches”, not “0 … 1.0 batches”', async () => {
  const page = await chartPage();
  const texts = await drawn(page, { series: [series([]), series([[0, 206.3]], 'test', '#e8590c')], xLabel: 'batches' });
  const xLabels = texts.map((t) => t.text).filter((t) => /batches/.test(t) || t === '0');
  assert.deepEqual(xLabels, ['0 batches']);
  assert.ok(!texts.some((t) => /^1(\.0)?\b/.test(t.text)), `no made-up batch 1: ${texts.map((t) => t.text).join(' | ')}`);
  assert.deepEqual(page.errors, []);
});

// Loss curves from an exploding run, a tiny penalty term, negative values, a flat line.
const MAGNITUDES = {
  'a loss in the millions': [series(line(30, 3.4e6, 2.5e6))],
  'a loss of 1e12': [series(line(30, 1.3e12, 1e12))],
  'tiny values like 1e-7': [series(line(30, 3e-7, 1e-7))],
  'a small range high up': [series(line(30, 123456.7, 123456.2))],
  'negative and positive': [series(line(30, -5e8, 1e9))],
  'a flat line': [series(line(30, 0.5, 0.5))],
  'a train curve and an exploding test curve': [series(line(30, 168, 158)), series(line(5, 160, 7.5e9), 'test', '#e8590c')],
  'a term in the millions on the right scale': [series(line(30, 168, 158)), { ...series(line(5, 1.5e6, 2.5e6), 'test KL', '#9c36b5'), axis: 'right' }],
};

for (const [name, data] of Object.entries(MAGNITUDES)) {
  test(`axis labels fit inside the chart and differ from each other: ${name}`, async () => {
    const page = await chartPage(320);
    const texts = await drawn(page, { series: data, xLabel: 'batches' });
    assert.ok(texts.length > 0, 'labels drawn');
    for (const t of texts) {
      assert.ok(t.x0 >= 0 && t.x1 <= t.width + 0.5, `“${t.text}” spans ${t.x0.toFixed(1)}…${t.x1.toFixed(1)} on a canvas ${t.width} wide`);
      assert.doesNotMatch(t.text, /NaN|Infinity|undefined/);
    }
    // The y ticks are the right-aligned labels other than the x-axis's last.
    const yLabels = texts.filter((t) => t.align === 'right' && !/batches/.test(t.text)).map((t) => t.text);
    assert.ok(yLabels.length >= 2, `at least two y ticks: ${yLabels.join(' | ')}`);
    assert.equal(new Set(yLabels).size, yLabels.length, `distinct y ticks: ${yLabels.join(' | ')}`);
    assert.deepEqual(page.errors, []);
  });
}

// A hang would never return: the test's own time limit fails it.
test('a loss between 2^52 and 2^53 does not hang the chart: update returns', { timeout: 60_000 }, async () => {
  const page = await chartPage();
  // At this size consecutive doubles are 1 apart: a tick step below 1 cannot advance a sum.
  const big = 6e15;
  const update = drawn(page, { series: [series([[0, big], [10, big], [20, big + 2]]), series([[0, big]], 'test', '#e8590c')], xLabel: 'batches' });
  const texts = await update;
  assert.ok(texts.length > 0 && texts.length < 40, `a few labels: ${texts.map((t) => t.text).join(' | ')}`);
  for (const t of texts) assert.doesNotMatch(t.text, /NaN|Infinity/);
  assert.deepEqual(page.errors, []);
});
