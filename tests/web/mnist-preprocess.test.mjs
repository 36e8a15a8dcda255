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

test('a photo of a real test digit, dark ink on light paper at any size and place, comes back where MNIST put it', async () => {
  const { photoToMnist } = await import('../../www/page/own-images.js');
  const { mnistTest, photo } = await import('./photos.mjs');
  // Tolerance: centre of mass within 0.75 px and ink box within 2 px of the original's, and the pixels
  // correlate above 0.95 with the original put through the page's own recipe (toMnist). MNIST shifted each
  // digit by whole pixels to bring its mass to the centre pixel, whose middle is 14.5 in these
  // coordinates; toMnist puts it at 14 exactly. So the originals' centres sit half a pixel on, and
  // against the raw original thin strokes a half pixel apart correlate at only 0.56–0.97.
  for (const [i, { pixels }] of mnistTest(20).entries()) {
    const scale = 3 + (i % 5) * 2.5;
    const w = Math.round(28 * scale * 1.6), h = Math.round(28 * scale * 1.3);
    const shot = photo(pixels, { w, h, scale, x: (i % 3) * 0.2 * w, y: (i % 2) * 0.1 * h });
    const got = photoToMnist(shot, w, h);
    assert.ok(got, `digit ${i}: ink found`);
    const want = Float32Array.from(pixels, (p) => p / 255);
    const [a, b] = [moments(got), moments(want)];
    assert.ok(Math.hypot(a.cx + 0.5 - b.cx, a.cy + 0.5 - b.cy) < 0.75, `digit ${i}: centre (${a.cx}, ${a.cy}) against (${b.cx}, ${b.cy})`);
    assert.ok(Math.abs(a.width - b.width) <= 2 && Math.abs(a.height - b.height) <= 2, `digit ${i}: box ${a.width}×${a.height} against ${b.width}×${b.height}`);
    const recentred = toMnist(want, SIDE, SIDE);
    const mean = (v) => v.reduce((s, x) => s + x, 0) / v.length;
    const [ma, mb] = [mean(got), mean(recentred)];
    let sab = 0, saa = 0, sbb = 0;
    for (let k = 0; k < 784; k++) (sab += (got[k] - ma) * (recentred[k] - mb)), (saa += (got[k] - ma) ** 2), (sbb += (recentred[k] - mb) ** 2);
    const r = sab / Math.sqrt(saa * sbb);
    assert.ok(r > 0.95, `digit ${i}: correlation ${r.toFixed(3)}`);
  }
});

test('a file says what it is and how large before it is decoded', async () => {
  const { sniff, tooLarge } = await import('../../www/page/own-images.js');
  const { png, bombHeader } = await import('./photos.mjs');
  assert.deepEqual(sniff(png(new Uint8ClampedArray(4 * 6), 3, 2)), { type: 'png', width: 3, height: 2 });
  assert.deepEqual(sniff(new Uint8Array()), { error: 'the file is empty' });
  assert.deepEqual(sniff(new TextEncoder().encode('hello, not an image at all')), { error: 'it is not a PNG, JPEG or WebP image' });
  const bomb = sniff(bombHeader(100_000, 100_000));
  assert.deepEqual(bomb, { type: 'png', width: 100_000, height: 100_000 });
  assert.match(tooLarge(bomb), /100,000×100,000 pixels, more than the 40 million/);
  assert.equal(tooLarge({ width: 4000, height: 3000 }), null);
  // A JPEG's size sits in its start-of-frame segment, after any others.
  const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 17, 8, 0x01, 0x2c, 0x01, 0x90, 3, 0, 0, 0]);
  assert.deepEqual(sniff(jpeg), { type: 'jpeg', width: 400, height: 300 });
});
