// The drawing -> MNIST conversion, checked against what MNIST's recipe
// implies for shapes whose answer is known in closed form. No browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toMnist, moments, SIDE } from '../../www/page/mnist-preprocess.js';

function canvas(w, h, fill) {
  const ink = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) ink[y * w + x] = fill(x, y) ? 1 : 0;
  return ink;
}

test('a blank drawing gives no input', () => {
  assert.equal(toMnist(new Float32Array(280 * 280), 280, 280), null);
});

test('a wide bar is scaled to 20 pixels wide keeping its aspect ratio, ink conserved', () => {
  // 200×50 solid bar -> 20×5 box, so 100 units of ink in total; centred on
  // row 14 it spans rows 11.5–16.5, so the edge rows are half covered.
  const ink = canvas(280, 280, (x, y) => x >= 30 && x < 230 && y >= 100 && y < 150);
  const img = toMnist(ink, 280, 280);
  const m = moments(img);
  assert.equal(m.width, 20);
  assert.equal(m.height, 6);
  assert.ok(Math.abs(img[11 * SIDE + 14] - 0.5) < 1e-5 && Math.abs(img[16 * SIDE + 14] - 0.5) < 1e-5);
  assert.ok(Math.abs(img[13 * SIDE + 4] - 1) < 1e-5 && img[13 * SIDE + 3] === 0);
  assert.ok(Math.abs(m.mass - 100) < 1e-3, `ink ${m.mass}, expected 100`);
  assert.ok(Math.abs(m.cx - 14) < 1e-3 && Math.abs(m.cy - 14) < 1e-3, `centre of mass (${m.cx}, ${m.cy})`);
  assert.ok(Math.max(...img) <= 1 && Math.min(...img) >= 0);
});

test('the centre of mass, not the bounding box, lands at the centre (an L shape)', () => {
  // An L: vertical stroke 20 wide × 200 tall plus a foot 120 × 20; mass sits low-left.
  const ink = canvas(300, 300, (x, y) => (x >= 40 && x < 60 && y >= 40 && y < 240) || (x >= 40 && x < 160 && y >= 220 && y < 240));
  const img = toMnist(ink, 300, 300);
  const m = moments(img);
  assert.ok(Math.abs(m.cx - SIDE / 2) < 1e-3 && Math.abs(m.cy - SIDE / 2) < 1e-3, `centre of mass (${m.cx}, ${m.cy})`);
  // The bounding box is then off-centre: its left edge is right of MNIST's 4-pixel margin.
  const colInk = (x) => img.filter((_, i) => i % SIDE === x).reduce((a, b) => a + b, 0);
  const first = [...Array(SIDE).keys()].find((x) => colInk(x) > 0.05);
  assert.ok(first > 4, `first inked column ${first}`);
});

test('a tall stroke is anti-aliased: a fractional edge gives grey, not a hard step', () => {
  // 1 px wide line 200 tall at x = 100.5 .. 101.5 after scaling covers 0.1 of a target pixel.
  const ink = canvas(280, 280, (x, y) => x >= 100 && x < 103 && y >= 40 && y < 240);
  const img = toMnist(ink, 280, 280);
  const m = moments(img);
  assert.equal(m.height, 20);
  const values = [...img].filter((v) => v > 0);
  assert.ok(values.some((v) => v > 0 && v < 0.99), 'expected partial-coverage grey levels');
  assert.ok(Math.abs(m.mass - 20 * 0.3) < 1e-3, `ink ${m.mass}, expected 6`);
});

test('a tiny dot is scaled up to the 20-pixel box', () => {
  const ink = canvas(100, 100, (x, y) => x >= 50 && x < 54 && y >= 50 && y < 52);
  const m = moments(toMnist(ink, 100, 100));
  assert.equal(m.width, 20);
  assert.equal(m.height, 10);
});
