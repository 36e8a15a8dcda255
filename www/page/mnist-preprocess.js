// A drawing -> an MNIST-like 28×28 input, made the way MNIST was made
// (LeCun et al.): the ink's bounding box is scaled to fit a 20×20 box keeping
// its aspect ratio, anti-aliased, then placed in the 28×28 field so that its
// centre of mass sits at the centre. No DOM here, so node tests can run it.

export const SIDE = 28;
export const BOX = 20;

/** Where the ink is in a canvas's ImageData: the alpha channel, 0–255. */
export const ALPHA = { stride: 4, offset: 3, scale: 1 / 255 };

/**
 * @param {ArrayLike<number>} pixels  row-major; pixel i's ink is
 *   pixels[i·stride + offset]·scale, in [0,1] (defaults: one value per pixel)
 * @returns {Float32Array|null} 784 pixels in [0,1], or null for a blank drawing
 */
export function toMnist(pixels, width, height, { stride = 1, offset = 0, scale = 1 } = {}) {
  const ink = (i) => pixels[i * stride + offset] * scale;
  // Bounding box and centre of mass (pixel centres at +0.5).
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = ink(y * width + x);
      if (v <= 0.02) continue; // anti-aliasing fringe of a stroke, not ink
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  if (x1 < 0) return null;
  const cw = x1 - x0 + 1;
  const ch = y1 - y0 + 1;
  const s = BOX / Math.max(cw, ch); // target pixels per source pixel
  // Target coordinate of source coordinate u (crop-relative): u·s + off,
  // chosen so the centre of mass lands on (14, 14).
  const offX = SIDE / 2 - (mx / mass - x0) * s;
  const offY = SIDE / 2 - (my / mass - y0) * s;
  const wx = overlaps(cw, s, offX);
  const wy = overlaps(ch, s, offY);

  // Area-average resampling, separable: rows first, then columns.
  const rows = new Float32Array(ch * SIDE);
  for (let y = 0; y < ch; y++) {
    const src = (y + y0) * width + x0;
    for (let x = 0; x < cw; x++) {
      const v = ink(src + x);
      if (v === 0) continue;
      for (const [i, w] of wx[x]) rows[y * SIDE + i] += w * v;
    }
  }
  const out = new Float32Array(SIDE * SIDE);
  for (let y = 0; y < ch; y++) {
    for (const [j, w] of wy[y]) {
      for (let i = 0; i < SIDE; i++) out[j * SIDE + i] += w * rows[y * SIDE + i];
    }
  }
  for (let k = 0; k < out.length; k++) out[k] = Math.min(1, Math.max(0, out[k]));
  return out;
}

// For each source pixel [u, u+1) of a crop of length n: the target pixels it
// overlaps under t = u·s + off and the overlap's length in target units, so
// that a target pixel fully covered by ink of value 1 sums to 1.
function overlaps(n, s, off) {
  const out = [];
  for (let u = 0; u < n; u++) {
    const a = u * s + off;
    const b = a + s;
    const list = [];
    for (let i = Math.max(0, Math.floor(a)); i < Math.min(SIDE, Math.ceil(b)); i++) {
      const w = Math.min(b, i + 1) - Math.max(a, i);
      if (w > 0) list.push([i, w]);
    }
    out.push(list);
  }
  return out;
}

/** Centre of mass and bounding box of a 28×28 image (used by tests and captions). */
export function moments(img, side = SIDE) {
  let m = 0, cx = 0, cy = 0, x0 = side, y0 = side, x1 = -1, y1 = -1;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const v = img[y * side + x];
      if (v <= 0) continue;
      m += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
      if (v > 0.05) {
        x0 = Math.min(x0, x); x1 = Math.max(x1, x);
        y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      }
    }
  }
  return { mass: m, cx: cx / m, cy: cy / m, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}
