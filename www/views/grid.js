// A canvas of 28×28 images in a grid, white ink on black as in MNIST. The
// canvas holds the images at one canvas pixel per image pixel; CSS scales it
// up with `image-rendering: pixelated`, so what you see is what the network saw.

const SIDE = 28;

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{cols?:number, gap?:number}} opts  gap: canvas pixels between tiles
 */
export function create(canvas, { cols = 1, gap = 0 } = {}) {
  const ctx = canvas.getContext('2d');
  let img = null; // reused while the size stays: no garbage per frame

  /**
   * @param {{pixels: Float32Array|null, n?: number, cols?: number}|null} data
   *   null: black; pixels null: n black tiles (the canvas takes its final size)
   */
  function update(data) {
    if (!data) {
      ctx.fillStyle = '#000';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      return;
    }
    const n = data.n ?? Math.floor(data.pixels.length / (SIDE * SIDE));
    const c = Math.max(1, Math.min(n, data.cols ?? cols));
    const r = Math.max(1, Math.ceil(n / c));
    const w = c * SIDE + (c - 1) * gap;
    const h = r * SIDE + (r - 1) * gap;
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    if (!data.pixels) return update(null);
    if (!img || img.width !== w || img.height !== h || img.n !== n) {
      img = ctx.createImageData(w, h);
      img.n = n;
      for (let k = 3; k < img.data.length; k += 4) img.data[k] = 255; // opaque; gaps stay black
    }
    const out = img.data;
    for (let t = 0; t < n; t++) {
      const ox = (t % c) * (SIDE + gap);
      const oy = Math.floor(t / c) * (SIDE + gap);
      const base = t * SIDE * SIDE;
      for (let y = 0; y < SIDE; y++) {
        for (let x = 0; x < SIDE; x++) {
          const v = data.pixels[base + y * SIDE + x];
          const g = v > 0 ? (v < 1 ? Math.round(v * 255) : 255) : 0; // NaN -> black
          const o = 4 * ((oy + y) * w + ox + x);
          out[o] = out[o + 1] = out[o + 2] = g;
        }
      }
    }
    ctx.putImageData(img, 0, 0);
  }

  update(null);
  return { update };
}
